import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795424678679 implements MigrationInterface {
  name = 'Initial1795424678679';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE `outbox_event` (`seq` int NOT NULL AUTO_INCREMENT, `id` varchar(36) NOT NULL, `type` varchar(64) NOT NULL, `version` int NOT NULL, `occurred_at` datetime(3) NOT NULL, `aggregate_key` varchar(64) NOT NULL, `payload` text NOT NULL, `published_at` datetime(3) NULL, INDEX `idx_outbox_unpublished` (`published_at`, `seq`), UNIQUE INDEX `IDX_cc0c9e40998e45ecfc5e313429` (`id`), PRIMARY KEY (`seq`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `processed_event` (`event_id` varchar(36) NOT NULL, `type` varchar(64) NOT NULL, `processed_at` datetime(3) NOT NULL, PRIMARY KEY (`event_id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `purchase_line` (`id` int NOT NULL AUTO_INCREMENT, `order_id` varchar(36) NOT NULL, `customer_id` varchar(36) NULL, `product_id` varchar(36) NOT NULL, `variant_id` varchar(36) NOT NULL, `quantity` int NOT NULL, `location_id` varchar(36) NULL, `channel` varchar(16) NOT NULL, `placed_at` datetime(3) NOT NULL, INDEX `idx_purchase_customer` (`customer_id`), INDEX `idx_purchase_location_time` (`location_id`, `placed_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `customer_product` (`customer_id` varchar(36) NOT NULL, `product_id` varchar(36) NOT NULL, `units` int NOT NULL, `orders` int NOT NULL, `first_bought_at` datetime(3) NOT NULL, `last_bought_at` datetime(3) NOT NULL, PRIMARY KEY (`customer_id`, `product_id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `co_purchase` (`product_id` varchar(36) NOT NULL, `other_product_id` varchar(36) NOT NULL, `weight` int NOT NULL, PRIMARY KEY (`product_id`, `other_product_id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `product_popularity` (`product_id` varchar(36) NOT NULL, `buyers` int NOT NULL, `units` int NOT NULL, INDEX `idx_popularity_buyers` (`buyers`), PRIMARY KEY (`product_id`)) ENGINE=InnoDB");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX `idx_popularity_buyers` ON `product_popularity`");
    await queryRunner.query("DROP TABLE `product_popularity`");
    await queryRunner.query("DROP TABLE `co_purchase`");
    await queryRunner.query("DROP TABLE `customer_product`");
    await queryRunner.query("DROP INDEX `idx_purchase_location_time` ON `purchase_line`");
    await queryRunner.query("DROP INDEX `idx_purchase_customer` ON `purchase_line`");
    await queryRunner.query("DROP TABLE `purchase_line`");
    await queryRunner.query("DROP TABLE `processed_event`");
    await queryRunner.query("DROP INDEX `IDX_cc0c9e40998e45ecfc5e313429` ON `outbox_event`");
    await queryRunner.query("DROP INDEX `idx_outbox_unpublished` ON `outbox_event`");
    await queryRunner.query("DROP TABLE `outbox_event`");
  }
}
