import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CustomerLinks1795451653441 implements MigrationInterface {
  name = 'CustomerLinks1795451653441';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE `customer_merge` (`merged_id` varchar(36) NOT NULL, `survivor_id` varchar(36) NOT NULL, `merge_id` varchar(36) NOT NULL, INDEX `idx_customer_merge_survivor` (`survivor_id`), PRIMARY KEY (`merged_id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `identity_owner` (`identity_type` varchar(16) NOT NULL, `identity_value` varchar(320) NOT NULL, `customer_id` varchar(36) NOT NULL, INDEX `idx_identity_owner_customer` (`customer_id`), PRIMARY KEY (`identity_type`, `identity_value`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `personalization_refusal` (`customer_id` varchar(36) NOT NULL, `refused_at` datetime(3) NOT NULL, PRIMARY KEY (`customer_id`)) ENGINE=InnoDB");
    await queryRunner.query("ALTER TABLE `purchase_line` ADD `attributed_customer_id` varchar(36) NULL");
    await queryRunner.query("ALTER TABLE `purchase_line` ADD `identity_type` varchar(16) NULL");
    await queryRunner.query("ALTER TABLE `purchase_line` ADD `identity_value` varchar(320) NULL");
    // Lines kept so far were attributed to the customer they carry.
    await queryRunner.query("UPDATE `purchase_line` SET `attributed_customer_id` = `customer_id`");
    await queryRunner.query("CREATE INDEX `idx_purchase_identity` ON `purchase_line` (`identity_type`, `identity_value`)");
    await queryRunner.query("CREATE INDEX `idx_purchase_product_customer` ON `purchase_line` (`product_id`, `customer_id`)");
    await queryRunner.query("CREATE INDEX `idx_purchase_attributed_customer` ON `purchase_line` (`attributed_customer_id`)");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX `idx_purchase_attributed_customer` ON `purchase_line`");
    await queryRunner.query("DROP INDEX `idx_purchase_product_customer` ON `purchase_line`");
    await queryRunner.query("DROP INDEX `idx_purchase_identity` ON `purchase_line`");
    await queryRunner.query("ALTER TABLE `purchase_line` DROP COLUMN `identity_value`");
    await queryRunner.query("ALTER TABLE `purchase_line` DROP COLUMN `identity_type`");
    await queryRunner.query("ALTER TABLE `purchase_line` DROP COLUMN `attributed_customer_id`");
    await queryRunner.query("DROP TABLE `personalization_refusal`");
    await queryRunner.query("DROP INDEX `idx_identity_owner_customer` ON `identity_owner`");
    await queryRunner.query("DROP TABLE `identity_owner`");
    await queryRunner.query("DROP INDEX `idx_customer_merge_survivor` ON `customer_merge`");
    await queryRunner.query("DROP TABLE `customer_merge`");
  }
}
