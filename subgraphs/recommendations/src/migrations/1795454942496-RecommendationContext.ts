import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RecommendationContext1795454942496 implements MigrationInterface {
  name = 'RecommendationContext1795454942496';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE `product_view` (`customer_id` varchar(36) NULL, `attributed_customer_id` varchar(36) NULL, `identity_type` varchar(16) NULL, `identity_value` varchar(320) NULL, `id` int NOT NULL AUTO_INCREMENT, `product_id` varchar(36) NOT NULL, `kind` varchar(16) NOT NULL, `occurred_at` datetime(3) NOT NULL, INDEX `idx_view_identity` (`identity_type`, `identity_value`), INDEX `idx_view_attributed_customer` (`attributed_customer_id`), INDEX `idx_view_customer_time` (`customer_id`, `occurred_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `customer_view_product` (`customer_id` varchar(36) NOT NULL, `product_id` varchar(36) NOT NULL, `views` int NOT NULL, `last_viewed_at` datetime(3) NOT NULL, PRIMARY KEY (`customer_id`, `product_id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `co_view` (`product_id` varchar(36) NOT NULL, `other_product_id` varchar(36) NOT NULL, `weight` int NOT NULL, PRIMARY KEY (`product_id`, `other_product_id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `product_sales_day` (`scope` varchar(36) NOT NULL, `day` varchar(10) NOT NULL, `product_id` varchar(36) NOT NULL, `units` int NOT NULL, PRIMARY KEY (`scope`, `day`, `product_id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `customer_presence` (`customer_id` varchar(36) NOT NULL, `location_id` varchar(36) NOT NULL, `checked_in_at` datetime(3) NOT NULL, PRIMARY KEY (`customer_id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `product_fact` (`product_id` varchar(36) NOT NULL, `category` varchar(64) NOT NULL, `released_at` datetime(3) NOT NULL, `sold_online` tinyint NOT NULL, `changed_at` datetime(3) NOT NULL, INDEX `idx_product_fact_released` (`released_at`), PRIMARY KEY (`product_id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `variant_fact` (`variant_id` varchar(36) NOT NULL, `product_id` varchar(36) NOT NULL, `size` varchar(32) NOT NULL, `color` varchar(64) NOT NULL, `changed_at` datetime(3) NOT NULL, INDEX `idx_variant_fact_product` (`product_id`), PRIMARY KEY (`variant_id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `stock_fact` (`location_id` varchar(36) NOT NULL, `variant_id` varchar(36) NOT NULL, `product_id` varchar(36) NOT NULL, `available` int NOT NULL, `changed_at` datetime(3) NOT NULL, INDEX `idx_stock_fact_product` (`product_id`, `location_id`), PRIMARY KEY (`location_id`, `variant_id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `location_fact` (`location_id` varchar(36) NOT NULL, `type` varchar(16) NOT NULL, PRIMARY KEY (`location_id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `pending_give_back` (`event_id` varchar(36) NOT NULL, `order_id` varchar(36) NOT NULL, `returned_lines` text NULL, INDEX `idx_pending_give_back_order` (`order_id`), PRIMARY KEY (`event_id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `erased_customer` (`customer_id` varchar(36) NOT NULL, `erased_at` datetime(3) NOT NULL, PRIMARY KEY (`customer_id`)) ENGINE=InnoDB");
    await queryRunner.query("ALTER TABLE `purchase_line` ADD `returned_quantity` int NOT NULL DEFAULT '0'");
    await queryRunner.query("CREATE INDEX `idx_purchase_order` ON `purchase_line` (`order_id`)");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX `idx_purchase_order` ON `purchase_line`");
    await queryRunner.query("ALTER TABLE `purchase_line` DROP COLUMN `returned_quantity`");
    await queryRunner.query("DROP TABLE `erased_customer`");
    await queryRunner.query("DROP INDEX `idx_pending_give_back_order` ON `pending_give_back`");
    await queryRunner.query("DROP TABLE `pending_give_back`");
    await queryRunner.query("DROP TABLE `location_fact`");
    await queryRunner.query("DROP INDEX `idx_stock_fact_product` ON `stock_fact`");
    await queryRunner.query("DROP TABLE `stock_fact`");
    await queryRunner.query("DROP INDEX `idx_variant_fact_product` ON `variant_fact`");
    await queryRunner.query("DROP TABLE `variant_fact`");
    await queryRunner.query("DROP INDEX `idx_product_fact_released` ON `product_fact`");
    await queryRunner.query("DROP TABLE `product_fact`");
    await queryRunner.query("DROP TABLE `customer_presence`");
    await queryRunner.query("DROP TABLE `product_sales_day`");
    await queryRunner.query("DROP TABLE `co_view`");
    await queryRunner.query("DROP TABLE `customer_view_product`");
    await queryRunner.query("DROP INDEX `idx_view_customer_time` ON `product_view`");
    await queryRunner.query("DROP INDEX `idx_view_attributed_customer` ON `product_view`");
    await queryRunner.query("DROP INDEX `idx_view_identity` ON `product_view`");
    await queryRunner.query("DROP TABLE `product_view`");
  }
}
