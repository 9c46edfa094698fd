import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The carts service's tables, with the event, merge-map and lease tables every service has. */
export class Carts1796666405981 implements MigrationInterface {
  name = 'Carts1796666405981';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE `service_lease` (`name` varchar(100) NOT NULL, `owner` varchar(64) NOT NULL, `expires_at` datetime(3) NOT NULL, PRIMARY KEY (`name`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `outbox_event` (`seq` int NOT NULL AUTO_INCREMENT, `id` varchar(36) NOT NULL, `type` varchar(64) NOT NULL, `version` int NOT NULL, `occurred_at` datetime(3) NOT NULL, `aggregate_key` varchar(64) NOT NULL, `payload` text NOT NULL, `published_at` datetime(3) NULL, `dispatched_at` datetime(3) NULL, INDEX `idx_outbox_pending` (`published_at`, `dispatched_at`, `seq`), UNIQUE INDEX `IDX_cc0c9e40998e45ecfc5e313429` (`id`), PRIMARY KEY (`seq`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `processed_event` (`event_id` varchar(36) NOT NULL, `type` varchar(64) NOT NULL, `processed_at` datetime(3) NOT NULL, INDEX `idx_processed_event_at` (`processed_at`), PRIMARY KEY (`event_id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `dead_letter_event` (`id` varchar(36) NOT NULL, `consumer_group` varchar(64) NOT NULL, `producer` varchar(64) NOT NULL, `entry_id` varchar(64) NOT NULL, `event_id` varchar(64) NULL, `event_type` varchar(64) NULL, `reason` varchar(16) NOT NULL, `error` text NOT NULL, `raw` text NOT NULL, `deliveries` int NOT NULL, `dead_at` datetime(3) NOT NULL, `retry_requested_at` datetime(3) NULL, INDEX `idx_dead_letter_retry` (`consumer_group`, `retry_requested_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `customer_merge` (`merged_id` varchar(36) NOT NULL, `survivor_id` varchar(36) NOT NULL, `merge_id` varchar(36) NOT NULL, INDEX `idx_customer_merge_survivor` (`survivor_id`), PRIMARY KEY (`merged_id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `identity_owner` (`identity_type` varchar(16) NOT NULL, `identity_value` varchar(320) NOT NULL, `customer_id` varchar(36) NOT NULL, INDEX `idx_identity_owner_customer` (`customer_id`), PRIMARY KEY (`identity_type`, `identity_value`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `cart` (`id` varchar(43) NOT NULL, `customer_id` varchar(36) NULL, `active_customer_id` varchar(36) NULL, `status` varchar(16) NOT NULL, `last_channel` varchar(16) NOT NULL, `created_at` datetime(3) NOT NULL, `updated_at` datetime(3) NOT NULL, `checkout_key` varchar(200) NULL, `checked_out_order_id` varchar(36) NULL, `checked_out_order_number` varchar(40) NULL, UNIQUE INDEX `uq_cart_active_customer` (`active_customer_id`), INDEX `idx_cart_status_updated` (`status`, `updated_at`), INDEX `idx_cart_customer` (`customer_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `cart_line` (`id` varchar(36) NOT NULL, `cart_id` varchar(43) NOT NULL, `variant_id` varchar(36) NOT NULL, `product_id` varchar(36) NOT NULL, `quantity` int NOT NULL, `added_at` datetime(3) NOT NULL, UNIQUE INDEX `uq_cart_line_variant` (`cart_id`, `variant_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `cart_merge_move` (`merge_id` varchar(36) NOT NULL, `variant_id` varchar(36) NOT NULL, `product_id` varchar(36) NOT NULL, `from_cart_id` varchar(43) NOT NULL, `quantity` int NOT NULL, PRIMARY KEY (`merge_id`, `variant_id`)) ENGINE=InnoDB");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE `cart_merge_move`");
    await queryRunner.query("DROP INDEX `uq_cart_line_variant` ON `cart_line`");
    await queryRunner.query("DROP TABLE `cart_line`");
    await queryRunner.query("DROP INDEX `idx_cart_customer` ON `cart`");
    await queryRunner.query("DROP INDEX `idx_cart_status_updated` ON `cart`");
    await queryRunner.query("DROP INDEX `uq_cart_active_customer` ON `cart`");
    await queryRunner.query("DROP TABLE `cart`");
    await queryRunner.query("DROP INDEX `idx_identity_owner_customer` ON `identity_owner`");
    await queryRunner.query("DROP TABLE `identity_owner`");
    await queryRunner.query("DROP INDEX `idx_customer_merge_survivor` ON `customer_merge`");
    await queryRunner.query("DROP TABLE `customer_merge`");
    await queryRunner.query("DROP INDEX `idx_dead_letter_retry` ON `dead_letter_event`");
    await queryRunner.query("DROP TABLE `dead_letter_event`");
    await queryRunner.query("DROP INDEX `idx_processed_event_at` ON `processed_event`");
    await queryRunner.query("DROP TABLE `processed_event`");
    await queryRunner.query("DROP INDEX `IDX_cc0c9e40998e45ecfc5e313429` ON `outbox_event`");
    await queryRunner.query("DROP INDEX `idx_outbox_pending` ON `outbox_event`");
    await queryRunner.query("DROP TABLE `outbox_event`");
    await queryRunner.query("DROP TABLE `service_lease`");
  }
}
