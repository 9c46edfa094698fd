import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795423929591 implements MigrationInterface {
  name = 'Initial1795423929591';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE `outbox_event` (`seq` int NOT NULL AUTO_INCREMENT, `id` varchar(36) NOT NULL, `type` varchar(64) NOT NULL, `version` int NOT NULL, `occurred_at` datetime(3) NOT NULL, `aggregate_key` varchar(64) NOT NULL, `payload` text NOT NULL, `published_at` datetime(3) NULL, INDEX `idx_outbox_unpublished` (`published_at`, `seq`), UNIQUE INDEX `IDX_cc0c9e40998e45ecfc5e313429` (`id`), PRIMARY KEY (`seq`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `processed_event` (`event_id` varchar(36) NOT NULL, `type` varchar(64) NOT NULL, `processed_at` datetime(3) NOT NULL, PRIMARY KEY (`event_id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `customer` (`id` varchar(36) NOT NULL, `display_name` varchar(200) NOT NULL, `display_name_kana` varchar(200) NULL, `email` varchar(320) NULL, `phone` varchar(32) NULL, `created_at` datetime(3) NOT NULL, `updated_at` datetime(3) NOT NULL, INDEX `IDX_933d54e3c369894eeb56355cd4` (`display_name`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `customer_identity` (`id` int NOT NULL AUTO_INCREMENT, `customer_id` varchar(36) NOT NULL, `type` varchar(16) NOT NULL, `value` varchar(320) NOT NULL, `verified` tinyint NOT NULL, `channel` varchar(16) NOT NULL, `linked_at` datetime(3) NOT NULL, INDEX `IDX_2753f1f4d22191b52bb01c2a22` (`customer_id`), UNIQUE INDEX `uq_identity` (`type`, `value`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX `uq_identity` ON `customer_identity`");
    await queryRunner.query("DROP INDEX `IDX_2753f1f4d22191b52bb01c2a22` ON `customer_identity`");
    await queryRunner.query("DROP TABLE `customer_identity`");
    await queryRunner.query("DROP INDEX `IDX_933d54e3c369894eeb56355cd4` ON `customer`");
    await queryRunner.query("DROP TABLE `customer`");
    await queryRunner.query("DROP TABLE `processed_event`");
    await queryRunner.query("DROP INDEX `IDX_cc0c9e40998e45ecfc5e313429` ON `outbox_event`");
    await queryRunner.query("DROP INDEX `idx_outbox_unpublished` ON `outbox_event`");
    await queryRunner.query("DROP TABLE `outbox_event`");
  }
}
