import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OrderStockShortStoreTransactions1796616894169 implements MigrationInterface {
  name = 'OrderStockShortStoreTransactions1796616894169';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX `IDX_f5670973ff42da324c2a7672e1` ON `customer_order`");
    await queryRunner.query("ALTER TABLE `customer_order` ADD `stock_short_at` datetime(3) NULL");
    await queryRunner.query("ALTER TABLE `order_line` ADD `quantity_short` int NOT NULL DEFAULT '0'");
    await queryRunner.query("CREATE UNIQUE INDEX `idx_order_store_transaction` ON `customer_order` (`location_id`, `external_id`)");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX `idx_order_store_transaction` ON `customer_order`");
    await queryRunner.query("ALTER TABLE `order_line` DROP COLUMN `quantity_short`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `stock_short_at`");
    await queryRunner.query("CREATE UNIQUE INDEX `IDX_f5670973ff42da324c2a7672e1` ON `customer_order` (`external_id`)");
  }
}
