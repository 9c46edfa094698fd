import type { MigrationInterface, QueryRunner } from 'typeorm';

export class StockLedgerReservations1795453099017 implements MigrationInterface {
  name = 'StockLedgerReservations1795453099017';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE `stock_discrepancy` (`id` varchar(36) NOT NULL, `location_id` varchar(36) NOT NULL, `variant_id` varchar(36) NOT NULL, `expected_on_hand` int NOT NULL, `sold` int NOT NULL, `order_id` varchar(36) NOT NULL, `occurred_at` datetime(3) NOT NULL, `recorded_at` datetime(3) NOT NULL, INDEX `idx_discrepancy_time` (`occurred_at`, `id`), INDEX `idx_discrepancy_location` (`location_id`, `occurred_at`, `id`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `stock_reservation` (`id` varchar(36) NOT NULL, `idempotency_key` varchar(100) NOT NULL, `location_id` varchar(36) NOT NULL, `status` varchar(16) NOT NULL, `actor` varchar(100) NOT NULL, `created_at` datetime(3) NOT NULL, `expires_at` datetime(3) NOT NULL, `closed_at` datetime(3) NULL, INDEX `idx_reservation_expiry` (`status`, `expires_at`), UNIQUE INDEX `IDX_65ed9054d8a345cb8af7163b84` (`idempotency_key`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `stock_reservation_line` (`reservation_id` varchar(36) NOT NULL, `variant_id` varchar(36) NOT NULL, `product_id` varchar(36) NOT NULL, `quantity` int NOT NULL, `unit_price` int NOT NULL, `currency_code` varchar(3) NOT NULL, `tax_rate_bp` int NOT NULL, PRIMARY KEY (`reservation_id`, `variant_id`)) ENGINE=InnoDB");
    await queryRunner.query("ALTER TABLE `stock_movement` ADD `note` varchar(500) NULL");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE `stock_movement` DROP COLUMN `note`");
    await queryRunner.query("DROP TABLE `stock_reservation_line`");
    await queryRunner.query("DROP INDEX `IDX_65ed9054d8a345cb8af7163b84` ON `stock_reservation`");
    await queryRunner.query("DROP INDEX `idx_reservation_expiry` ON `stock_reservation`");
    await queryRunner.query("DROP TABLE `stock_reservation`");
    await queryRunner.query("DROP INDEX `idx_discrepancy_location` ON `stock_discrepancy`");
    await queryRunner.query("DROP INDEX `idx_discrepancy_time` ON `stock_discrepancy`");
    await queryRunner.query("DROP TABLE `stock_discrepancy`");
  }
}
