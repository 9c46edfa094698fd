import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddressesCartStates1796666044009 implements MigrationInterface {
  name = 'AddressesCartStates1796666044009';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE `customer_address` (`id` varchar(36) NOT NULL, `customer_id` varchar(36) NOT NULL, `origin_customer_id` varchar(36) NOT NULL, `recipient_name` varchar(100) NOT NULL, `postal_code` varchar(7) NOT NULL, `prefecture` varchar(8) NOT NULL, `city` varchar(100) NOT NULL, `line1` varchar(200) NOT NULL, `line2` varchar(200) NULL, `phone` varchar(32) NOT NULL, `is_default` tinyint NOT NULL, `created_at` datetime(3) NOT NULL, `updated_at` datetime(3) NOT NULL, INDEX `IDX_e9c55096e8425c8e8813a5cbf1` (`origin_customer_id`), INDEX `idx_customer_address_customer` (`customer_id`, `created_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `cart_state` (`customer_id` varchar(36) NOT NULL, `cart_id` varchar(200) NOT NULL, `item_count` int NOT NULL, `changed_at` datetime(3) NOT NULL, INDEX `idx_cart_state_changed` (`changed_at`), PRIMARY KEY (`customer_id`)) ENGINE=InnoDB");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX `idx_cart_state_changed` ON `cart_state`");
    await queryRunner.query("DROP TABLE `cart_state`");
    await queryRunner.query("DROP INDEX `idx_customer_address_customer` ON `customer_address`");
    await queryRunner.query("DROP INDEX `IDX_e9c55096e8425c8e8813a5cbf1` ON `customer_address`");
    await queryRunner.query("DROP TABLE `customer_address`");
  }
}
