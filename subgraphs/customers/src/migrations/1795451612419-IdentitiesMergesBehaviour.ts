import type { MigrationInterface, QueryRunner } from 'typeorm';
import { nameSearchKey } from '../customer/name-fold';

export class IdentitiesMergesBehaviour1795451612419 implements MigrationInterface {
  name = 'IdentitiesMergesBehaviour1795451612419';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE `consent` (`customer_id` varchar(36) NOT NULL, `purpose` varchar(24) NOT NULL, `granted` tinyint NOT NULL, `updated_at` datetime(3) NULL, PRIMARY KEY (`customer_id`, `purpose`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `consent_change` (`id` int NOT NULL AUTO_INCREMENT, `customer_id` varchar(36) NOT NULL, `purpose` varchar(24) NOT NULL, `granted` tinyint NOT NULL, `changed_at` datetime(3) NOT NULL, `actor_kind` varchar(16) NOT NULL, `actor_id` varchar(64) NOT NULL, INDEX `idx_consent_change_customer` (`customer_id`, `changed_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `segment_membership` (`customer_id` varchar(36) NOT NULL, `code` varchar(32) NOT NULL, `since` datetime(3) NOT NULL, INDEX `idx_segment_code` (`code`, `customer_id`), PRIMARY KEY (`customer_id`, `code`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `order_fact` (`order_id` varchar(36) NOT NULL, `customer_id` varchar(36) NULL, `origin_customer_id` varchar(36) NULL, `identity_type` varchar(16) NULL, `identity_value` varchar(320) NULL, `channel` varchar(16) NOT NULL, `total` int NOT NULL, `placed_at` datetime(3) NOT NULL, INDEX `IDX_0c3112ee6b8b90570d731aa5c8` (`origin_customer_id`), INDEX `idx_order_fact_identity` (`identity_type`, `identity_value`), INDEX `idx_order_fact_customer` (`customer_id`, `channel`), PRIMARY KEY (`order_id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `presence` (`customer_id` varchar(36) NOT NULL, `location_id` varchar(36) NOT NULL, `method` varchar(16) NOT NULL, `beacon_id` varchar(100) NULL, `since` datetime(3) NOT NULL, `expires_at` datetime(3) NOT NULL, PRIMARY KEY (`customer_id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `touchpoint` (`id` varchar(36) NOT NULL, `event_id` varchar(100) NOT NULL, `customer_id` varchar(36) NULL, `origin_customer_id` varchar(36) NULL, `identity_type` varchar(16) NULL, `identity_value` varchar(320) NULL, `type` varchar(24) NOT NULL, `channel` varchar(16) NOT NULL, `occurred_at` datetime(3) NOT NULL, `received_at` datetime(3) NOT NULL, `product_id` varchar(36) NULL, `variant_id` varchar(36) NULL, `location_id` varchar(36) NULL, `query` varchar(200) NULL, INDEX `IDX_7a07b52214781f0f2547308e99` (`origin_customer_id`), INDEX `idx_touchpoint_identity` (`identity_type`, `identity_value`), INDEX `idx_touchpoint_customer` (`customer_id`, `occurred_at`, `id`), UNIQUE INDEX `IDX_3c3133ead0b5342724c2591cf2` (`event_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `merge_record` (`id` varchar(36) NOT NULL, `survivor_id` varchar(36) NOT NULL, `merged_id` varchar(36) NOT NULL, `merged_by_kind` varchar(16) NOT NULL, `merged_by_id` varchar(64) NOT NULL, `merged_at` datetime(3) NOT NULL, `unmerged_at` datetime(3) NULL, `unmerged_by_id` varchar(64) NULL, `snapshot` text NOT NULL, INDEX `idx_merge_merged` (`merged_id`), INDEX `idx_merge_survivor` (`survivor_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
    await queryRunner.query("ALTER TABLE `customer` ADD `name_search` varchar(401) NOT NULL");
    await queryRunner.query("ALTER TABLE `customer` ADD `merged_into_id` varchar(36) NULL");
    await queryRunner.query("ALTER TABLE `customer` ADD `erased_at` datetime(3) NULL");
    await queryRunner.query("ALTER TABLE `customer_identity` ADD `origin_customer_id` varchar(36) NOT NULL");
    // Rows from before this migration: keys were first linked to whoever holds them, names get their search form.
    await queryRunner.query('UPDATE `customer_identity` SET `origin_customer_id` = `customer_id`');
    const names: Array<{ id: string; display_name: string; display_name_kana: string | null }> = await queryRunner.query(
      'SELECT `id`, `display_name`, `display_name_kana` FROM `customer`',
    );
    for (const row of names) {
      await queryRunner.query('UPDATE `customer` SET `name_search` = ? WHERE `id` = ?', [nameSearchKey(row.display_name, row.display_name_kana), row.id]);
    }
    await queryRunner.query("CREATE INDEX `IDX_cc925d36763d5f80906954259c` ON `customer` (`name_search`)");
    await queryRunner.query("CREATE INDEX `IDX_3a8f07b5e951f79da8a2c6f0f6` ON `customer` (`merged_into_id`)");
    await queryRunner.query("CREATE INDEX `IDX_63403d25abf97ebca4f337bfa1` ON `customer_identity` (`origin_customer_id`)");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX `IDX_63403d25abf97ebca4f337bfa1` ON `customer_identity`");
    await queryRunner.query("DROP INDEX `IDX_3a8f07b5e951f79da8a2c6f0f6` ON `customer`");
    await queryRunner.query("DROP INDEX `IDX_cc925d36763d5f80906954259c` ON `customer`");
    await queryRunner.query("ALTER TABLE `customer_identity` DROP COLUMN `origin_customer_id`");
    await queryRunner.query("ALTER TABLE `customer` DROP COLUMN `erased_at`");
    await queryRunner.query("ALTER TABLE `customer` DROP COLUMN `merged_into_id`");
    await queryRunner.query("ALTER TABLE `customer` DROP COLUMN `name_search`");
    await queryRunner.query("DROP INDEX `idx_merge_survivor` ON `merge_record`");
    await queryRunner.query("DROP INDEX `idx_merge_merged` ON `merge_record`");
    await queryRunner.query("DROP TABLE `merge_record`");
    await queryRunner.query("DROP INDEX `IDX_3c3133ead0b5342724c2591cf2` ON `touchpoint`");
    await queryRunner.query("DROP INDEX `idx_touchpoint_customer` ON `touchpoint`");
    await queryRunner.query("DROP INDEX `idx_touchpoint_identity` ON `touchpoint`");
    await queryRunner.query("DROP INDEX `IDX_7a07b52214781f0f2547308e99` ON `touchpoint`");
    await queryRunner.query("DROP TABLE `touchpoint`");
    await queryRunner.query("DROP TABLE `presence`");
    await queryRunner.query("DROP INDEX `idx_order_fact_customer` ON `order_fact`");
    await queryRunner.query("DROP INDEX `idx_order_fact_identity` ON `order_fact`");
    await queryRunner.query("DROP INDEX `IDX_0c3112ee6b8b90570d731aa5c8` ON `order_fact`");
    await queryRunner.query("DROP TABLE `order_fact`");
    await queryRunner.query("DROP INDEX `idx_segment_code` ON `segment_membership`");
    await queryRunner.query("DROP TABLE `segment_membership`");
    await queryRunner.query("DROP INDEX `idx_consent_change_customer` ON `consent_change`");
    await queryRunner.query("DROP TABLE `consent_change`");
    await queryRunner.query("DROP TABLE `consent`");
  }
}
