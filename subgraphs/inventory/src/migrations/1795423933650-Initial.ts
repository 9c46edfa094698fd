import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795423933650 implements MigrationInterface {
  name = 'Initial1795423933650';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE `outbox_event` (`seq` int NOT NULL AUTO_INCREMENT, `id` varchar(36) NOT NULL, `type` varchar(64) NOT NULL, `version` int NOT NULL, `occurred_at` datetime(3) NOT NULL, `aggregate_key` varchar(64) NOT NULL, `payload` text NOT NULL, `published_at` datetime(3) NULL, INDEX `idx_outbox_unpublished` (`published_at`, `seq`), UNIQUE INDEX `IDX_cc0c9e40998e45ecfc5e313429` (`id`), PRIMARY KEY (`seq`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `processed_event` (`event_id` varchar(36) NOT NULL, `type` varchar(64) NOT NULL, `processed_at` datetime(3) NOT NULL, PRIMARY KEY (`event_id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `location` (`id` varchar(36) NOT NULL, `code` varchar(32) NOT NULL, `name` varchar(200) NOT NULL, `type` varchar(16) NOT NULL, `address` varchar(400) NOT NULL, `lat` double NOT NULL, `lng` double NOT NULL, `pickup_enabled` tinyint NOT NULL, `beacon_ids` text NOT NULL, `created_at` datetime(3) NOT NULL, UNIQUE INDEX `IDX_50d67b2c22be390e74257516ab` (`code`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `product` (`id` varchar(36) NOT NULL, `code` varchar(32) NOT NULL, `name` varchar(200) NOT NULL, `brand` varchar(100) NOT NULL, `category` varchar(100) NOT NULL, `price` int NOT NULL, `currency_code` varchar(3) NOT NULL, `tax_rate_bp` int NOT NULL, `released_at` datetime(3) NOT NULL, `sold_online` tinyint NOT NULL, `updated_at` datetime(3) NOT NULL, INDEX `IDX_d71ac3a30622a475df871b5513` (`category`), UNIQUE INDEX `IDX_99c39b067cfa73c783f0fc49a6` (`code`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `product_variant` (`id` varchar(36) NOT NULL, `product_id` varchar(36) NOT NULL, `sku` varchar(64) NOT NULL, `color` varchar(50) NOT NULL, `size` varchar(20) NOT NULL, `position` int NOT NULL, `price_override` int NULL, INDEX `IDX_ca67dd080aac5ecf99609960cd` (`product_id`), UNIQUE INDEX `IDX_f4dc2c0888b66d547c175f090e` (`sku`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `stock_level` (`variant_id` varchar(36) NOT NULL, `location_id` varchar(36) NOT NULL, `product_id` varchar(36) NOT NULL, `on_hand` int NOT NULL, `reserved` int NOT NULL, `available` int NOT NULL, `updated_at` datetime(3) NOT NULL, INDEX `IDX_dda0d2580ff55ca940846ca242` (`product_id`), INDEX `idx_stock_location` (`location_id`, `variant_id`), PRIMARY KEY (`variant_id`, `location_id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `stock_movement` (`id` int NOT NULL AUTO_INCREMENT, `variant_id` varchar(36) NOT NULL, `location_id` varchar(36) NOT NULL, `on_hand_delta` int NOT NULL, `reserved_delta` int NOT NULL, `reason` varchar(32) NOT NULL, `reference` varchar(100) NOT NULL, `actor` varchar(100) NOT NULL, `occurred_at` datetime(3) NOT NULL, INDEX `idx_movement_level` (`variant_id`, `location_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX `idx_movement_level` ON `stock_movement`");
    await queryRunner.query("DROP TABLE `stock_movement`");
    await queryRunner.query("DROP INDEX `idx_stock_location` ON `stock_level`");
    await queryRunner.query("DROP INDEX `IDX_dda0d2580ff55ca940846ca242` ON `stock_level`");
    await queryRunner.query("DROP TABLE `stock_level`");
    await queryRunner.query("DROP INDEX `IDX_f4dc2c0888b66d547c175f090e` ON `product_variant`");
    await queryRunner.query("DROP INDEX `IDX_ca67dd080aac5ecf99609960cd` ON `product_variant`");
    await queryRunner.query("DROP TABLE `product_variant`");
    await queryRunner.query("DROP INDEX `IDX_99c39b067cfa73c783f0fc49a6` ON `product`");
    await queryRunner.query("DROP INDEX `IDX_d71ac3a30622a475df871b5513` ON `product`");
    await queryRunner.query("DROP TABLE `product`");
    await queryRunner.query("DROP INDEX `IDX_50d67b2c22be390e74257516ab` ON `location`");
    await queryRunner.query("DROP TABLE `location`");
    await queryRunner.query("DROP TABLE `processed_event`");
    await queryRunner.query("DROP INDEX `IDX_cc0c9e40998e45ecfc5e313429` ON `outbox_event`");
    await queryRunner.query("DROP INDEX `idx_outbox_unpublished` ON `outbox_event`");
    await queryRunner.query("DROP TABLE `outbox_event`");
  }
}
