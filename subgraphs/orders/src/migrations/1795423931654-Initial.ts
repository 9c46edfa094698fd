import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795423931654 implements MigrationInterface {
  name = 'Initial1795423931654';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE `outbox_event` (`seq` int NOT NULL AUTO_INCREMENT, `id` varchar(36) NOT NULL, `type` varchar(64) NOT NULL, `version` int NOT NULL, `occurred_at` datetime(3) NOT NULL, `aggregate_key` varchar(64) NOT NULL, `payload` text NOT NULL, `published_at` datetime(3) NULL, INDEX `idx_outbox_unpublished` (`published_at`, `seq`), UNIQUE INDEX `IDX_cc0c9e40998e45ecfc5e313429` (`id`), PRIMARY KEY (`seq`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `processed_event` (`event_id` varchar(36) NOT NULL, `type` varchar(64) NOT NULL, `processed_at` datetime(3) NOT NULL, PRIMARY KEY (`event_id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `customer_order` (`id` varchar(36) NOT NULL, `number` varchar(40) NOT NULL, `channel` varchar(16) NOT NULL, `status` varchar(24) NOT NULL, `customer_id` varchar(36) NULL, `location_id` varchar(36) NULL, `total` int NOT NULL, `tax_total` int NOT NULL, `currency_code` varchar(3) NOT NULL, `fulfillment_type` varchar(24) NOT NULL, `fulfillment_location_id` varchar(36) NULL, `fulfillment_status` varchar(24) NOT NULL, `placed_at` datetime(3) NOT NULL, `external_id` varchar(100) NULL, INDEX `idx_order_customer` (`customer_id`, `placed_at`), UNIQUE INDEX `IDX_de717da204096d9fb7c889874c` (`number`), UNIQUE INDEX `IDX_f5670973ff42da324c2a7672e1` (`external_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `order_line` (`id` int NOT NULL AUTO_INCREMENT, `order_id` varchar(36) NOT NULL, `variant_id` varchar(36) NOT NULL, `product_id` varchar(36) NOT NULL, `quantity` int NOT NULL, `unit_price` int NOT NULL, `tax_rate_bp` int NOT NULL, `tax_amount` int NOT NULL, INDEX `IDX_ed8fae6d7239e9d730219215af` (`order_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX `IDX_ed8fae6d7239e9d730219215af` ON `order_line`");
    await queryRunner.query("DROP TABLE `order_line`");
    await queryRunner.query("DROP INDEX `IDX_f5670973ff42da324c2a7672e1` ON `customer_order`");
    await queryRunner.query("DROP INDEX `IDX_de717da204096d9fb7c889874c` ON `customer_order`");
    await queryRunner.query("DROP INDEX `idx_order_customer` ON `customer_order`");
    await queryRunner.query("DROP TABLE `customer_order`");
    await queryRunner.query("DROP TABLE `processed_event`");
    await queryRunner.query("DROP INDEX `IDX_cc0c9e40998e45ecfc5e313429` ON `outbox_event`");
    await queryRunner.query("DROP INDEX `idx_outbox_unpublished` ON `outbox_event`");
    await queryRunner.query("DROP TABLE `outbox_event`");
  }
}
