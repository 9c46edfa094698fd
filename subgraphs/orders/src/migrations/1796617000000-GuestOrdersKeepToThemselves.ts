import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Guest orders are keyed by the guest's e-mail address as GUEST_EMAIL, not as an EMAIL identity that
 * joins whoever holds the address (an anonymous write stays anonymous). Guest orders already joined
 * to a customer stay theirs; the others stop waiting for the address's owner.
 */
export class GuestOrdersKeepToThemselves1796617000000 implements MigrationInterface {
  name = 'GuestOrdersKeepToThemselves1796617000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "UPDATE `customer_order` SET `identity_type` = 'GUEST_EMAIL' WHERE `identity_type` = 'EMAIL' AND `channel` <> 'STORE' AND `customer_id` IS NULL",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("UPDATE `customer_order` SET `identity_type` = 'EMAIL' WHERE `identity_type` = 'GUEST_EMAIL'");
  }
}
