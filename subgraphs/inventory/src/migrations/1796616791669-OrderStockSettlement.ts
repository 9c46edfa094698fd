import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OrderStockSettlement1796616791669 implements MigrationInterface {
  name = 'OrderStockSettlement1796616791669';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE `stock_discrepancy` ADD `kind` varchar(24) NOT NULL DEFAULT 'SALE_BEYOND_COUNT'");
    await queryRunner.query("ALTER TABLE `stock_reservation` ADD `order_id` varchar(36) NULL");
    await queryRunner.query("ALTER TABLE `stock_reservation_line` ADD `quantity_short` int NOT NULL DEFAULT '0'");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE `stock_reservation_line` DROP COLUMN `quantity_short`");
    await queryRunner.query("ALTER TABLE `stock_reservation` DROP COLUMN `order_id`");
    await queryRunner.query("ALTER TABLE `stock_discrepancy` DROP COLUMN `kind`");
  }
}
