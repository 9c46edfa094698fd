import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CustomerLinks1795451396772 implements MigrationInterface {
  name = 'CustomerLinks1795451396772';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE `customer_merge` (`merged_id` varchar(36) NOT NULL, `survivor_id` varchar(36) NOT NULL, `merge_id` varchar(36) NOT NULL, INDEX `idx_customer_merge_survivor` (`survivor_id`), PRIMARY KEY (`merged_id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `identity_owner` (`identity_type` varchar(16) NOT NULL, `identity_value` varchar(320) NOT NULL, `customer_id` varchar(36) NOT NULL, INDEX `idx_identity_owner_customer` (`customer_id`), PRIMARY KEY (`identity_type`, `identity_value`)) ENGINE=InnoDB");
    await queryRunner.query("ALTER TABLE `customer_order` ADD `attributed_customer_id` varchar(36) NULL");
    await queryRunner.query("ALTER TABLE `customer_order` ADD `identity_type` varchar(16) NULL");
    await queryRunner.query("ALTER TABLE `customer_order` ADD `identity_value` varchar(320) NULL");
    // Orders recorded so far were attributed to the customer they carry.
    await queryRunner.query("UPDATE `customer_order` SET `attributed_customer_id` = `customer_id`");
    await queryRunner.query("CREATE INDEX `idx_order_identity` ON `customer_order` (`identity_type`, `identity_value`)");
    await queryRunner.query("CREATE INDEX `idx_order_attributed_customer` ON `customer_order` (`attributed_customer_id`)");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX `idx_order_attributed_customer` ON `customer_order`");
    await queryRunner.query("DROP INDEX `idx_order_identity` ON `customer_order`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `identity_value`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `identity_type`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `attributed_customer_id`");
    await queryRunner.query("DROP INDEX `idx_identity_owner_customer` ON `identity_owner`");
    await queryRunner.query("DROP TABLE `identity_owner`");
    await queryRunner.query("DROP INDEX `idx_customer_merge_survivor` ON `customer_merge`");
    await queryRunner.query("DROP TABLE `customer_merge`");
  }
}
