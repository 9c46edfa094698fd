import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdentityProvenanceLookups1796612925161 implements MigrationInterface {
  name = 'IdentityProvenanceLookups1796612925161';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE `customer_identity` ADD `linked_by` varchar(128) NULL");
    await queryRunner.query("ALTER TABLE `customer_identity` ADD `verified_by` varchar(128) NULL");
    await queryRunner.query("DROP INDEX `idx_contact_read_customer` ON `contact_read`");
    await queryRunner.query("ALTER TABLE `contact_read` CHANGE `customer_id` `customer_id` varchar(36) NULL");
    await queryRunner.query("CREATE INDEX `idx_contact_read_customer` ON `contact_read` (`customer_id`, `read_at`)");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Look-ups that found nobody have no customer: the old column cannot hold them.
    await queryRunner.query("DELETE FROM `contact_read` WHERE `customer_id` IS NULL");
    await queryRunner.query("DROP INDEX `idx_contact_read_customer` ON `contact_read`");
    await queryRunner.query("ALTER TABLE `contact_read` CHANGE `customer_id` `customer_id` varchar(36) NOT NULL");
    await queryRunner.query("CREATE INDEX `idx_contact_read_customer` ON `contact_read` (`customer_id`, `read_at`)");
    await queryRunner.query("ALTER TABLE `customer_identity` DROP COLUMN `verified_by`");
    await queryRunner.query("ALTER TABLE `customer_identity` DROP COLUMN `linked_by`");
  }
}
