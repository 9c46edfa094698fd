import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OrdersPlacementReturns1795453185807 implements MigrationInterface {
  name = 'OrdersPlacementReturns1795453185807';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE `order_return` (`id` varchar(36) NOT NULL, `order_id` varchar(36) NOT NULL, `location_id` varchar(36) NOT NULL, `refund_total` int NOT NULL, `currency_code` varchar(3) NOT NULL, `reason` varchar(500) NULL, `returned_at` datetime(3) NOT NULL, INDEX `idx_return_order` (`order_id`, `returned_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `order_return_line` (`id` int NOT NULL AUTO_INCREMENT, `return_id` varchar(36) NOT NULL, `order_id` varchar(36) NOT NULL, `variant_id` varchar(36) NOT NULL, `product_id` varchar(36) NOT NULL, `quantity` int NOT NULL, `refund` int NOT NULL, INDEX `IDX_748bcb08ef2a628fe60ce6a633` (`return_id`), INDEX `IDX_bf199d10a6b17dc41a8b8dd6fc` (`order_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
    await queryRunner.query("ALTER TABLE `customer_order` ADD `idempotency_key` varchar(100) NULL");
    await queryRunner.query("ALTER TABLE `customer_order` ADD UNIQUE INDEX `IDX_61e29af2d07cad82c50603737b` (`idempotency_key`)");
    await queryRunner.query("ALTER TABLE `customer_order` ADD `reservation_id` varchar(64) NULL");
    await queryRunner.query("ALTER TABLE `customer_order` ADD `cancelled_at` datetime(3) NULL");
    await queryRunner.query("ALTER TABLE `customer_order` ADD `cancel_reason` varchar(500) NULL");
    await queryRunner.query("CREATE INDEX `idx_order_pickup` ON `customer_order` (`location_id`, `fulfillment_type`, `status`, `placed_at`)");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX `idx_order_pickup` ON `customer_order`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `cancel_reason`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `cancelled_at`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `reservation_id`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP INDEX `IDX_61e29af2d07cad82c50603737b`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `idempotency_key`");
    await queryRunner.query("DROP INDEX `IDX_bf199d10a6b17dc41a8b8dd6fc` ON `order_return_line`");
    await queryRunner.query("DROP INDEX `IDX_748bcb08ef2a628fe60ce6a633` ON `order_return_line`");
    await queryRunner.query("DROP TABLE `order_return_line`");
    await queryRunner.query("DROP INDEX `idx_return_order` ON `order_return`");
    await queryRunner.query("DROP TABLE `order_return`");
  }
}
