import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Units sold add up over the years: the counters become 64-bit, in place (MODIFY keeps the rows). */
export class UnitsCounters641796613303199 implements MigrationInterface {
  name = 'UnitsCounters641796613303199';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE `customer_product` MODIFY `units` bigint NOT NULL");
    await queryRunner.query("ALTER TABLE `product_popularity` MODIFY `units` bigint NOT NULL");
    await queryRunner.query("ALTER TABLE `product_sales_day` MODIFY `units` bigint NOT NULL");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE `product_sales_day` MODIFY `units` int NOT NULL");
    await queryRunner.query("ALTER TABLE `product_popularity` MODIFY `units` int NOT NULL");
    await queryRunner.query("ALTER TABLE `customer_product` MODIFY `units` int NOT NULL");
  }
}
