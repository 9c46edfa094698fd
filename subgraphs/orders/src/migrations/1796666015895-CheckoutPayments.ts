import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Checkout on orders (issue 16): the cart an order came from, a snapshot of its shipping address, the
 * delivery date and slot, the shipping and payment fees, and the payment (method, status, provider's
 * reference, konbini deadline, when paid), with an index for the konbini deadline sweep.
 */
export class CheckoutPayments1796666015895 implements MigrationInterface {
  name = 'CheckoutPayments1796666015895';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE `customer_order` ADD `cart_id` varchar(64) NULL");
    await queryRunner.query("ALTER TABLE `customer_order` ADD `ship_recipient_name` varchar(100) NULL");
    await queryRunner.query("ALTER TABLE `customer_order` ADD `ship_postal_code` varchar(8) NULL");
    await queryRunner.query("ALTER TABLE `customer_order` ADD `ship_prefecture` varchar(8) NULL");
    await queryRunner.query("ALTER TABLE `customer_order` ADD `ship_city` varchar(100) NULL");
    await queryRunner.query("ALTER TABLE `customer_order` ADD `ship_line1` varchar(200) NULL");
    await queryRunner.query("ALTER TABLE `customer_order` ADD `ship_line2` varchar(200) NULL");
    await queryRunner.query("ALTER TABLE `customer_order` ADD `ship_phone` varchar(20) NULL");
    await queryRunner.query("ALTER TABLE `customer_order` ADD `delivery_date` varchar(10) NULL");
    await queryRunner.query("ALTER TABLE `customer_order` ADD `delivery_slot` varchar(16) NULL");
    await queryRunner.query("ALTER TABLE `customer_order` ADD `shipping_fee` int NULL");
    await queryRunner.query("ALTER TABLE `customer_order` ADD `payment_fee` int NULL");
    await queryRunner.query("ALTER TABLE `customer_order` ADD `payment_method` varchar(24) NULL");
    await queryRunner.query("ALTER TABLE `customer_order` ADD `payment_status` varchar(16) NULL");
    await queryRunner.query("ALTER TABLE `customer_order` ADD `payment_reference` varchar(200) NULL");
    await queryRunner.query("ALTER TABLE `customer_order` ADD `payment_deadline` datetime(3) NULL");
    await queryRunner.query("ALTER TABLE `customer_order` ADD `paid_at` datetime(3) NULL");
    await queryRunner.query("CREATE INDEX `idx_order_payment_deadline` ON `customer_order` (`payment_status`, `payment_deadline`)");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX `idx_order_payment_deadline` ON `customer_order`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `paid_at`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `payment_deadline`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `payment_reference`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `payment_status`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `payment_method`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `payment_fee`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `shipping_fee`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `delivery_slot`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `delivery_date`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `ship_phone`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `ship_line2`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `ship_line1`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `ship_city`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `ship_prefecture`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `ship_postal_code`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `ship_recipient_name`");
    await queryRunner.query("ALTER TABLE `customer_order` DROP COLUMN `cart_id`");
  }
}
