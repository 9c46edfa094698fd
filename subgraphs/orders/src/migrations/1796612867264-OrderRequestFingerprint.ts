import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OrderRequestFingerprint1796612867264 implements MigrationInterface {
  name = 'OrderRequestFingerprint1796612867264';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE `customer_order` ADD `request_fingerprint` varchar(64) NULL");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `request_fingerprint`");
  }
}
