import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each style's repeat buyers (customers with two orders or more of it) and trend (its kept lines,
 * forward-decayed with a half-life of 10 days from 2025-01-01: trend.ts), derived here from the
 * facts so that no rebuild is needed after the upgrade.
 */
export class RankingTrend1796669445300 implements MigrationInterface {
  name = 'RankingTrend1796669445300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE `product_popularity` ADD `repeat_buyers` int NOT NULL DEFAULT '0'");
    await queryRunner.query("ALTER TABLE `product_popularity` ADD `trend` double NOT NULL DEFAULT '0'");
    await queryRunner.query(
      'UPDATE `product_popularity` p SET ' +
        '`repeat_buyers` = (SELECT COUNT(*) FROM `customer_product` c WHERE c.`product_id` = p.`product_id` AND c.`orders` >= 2), ' +
        "`trend` = COALESCE((SELECT SUM(POW(2, TIMESTAMPDIFF(MICROSECOND, '2025-01-01 00:00:00', l.`placed_at`) / 864000000000)) " +
        'FROM `purchase_line` l WHERE l.`product_id` = p.`product_id` AND l.`quantity` > l.`returned_quantity`), 0)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE `product_popularity` DROP COLUMN `trend`");
    await queryRunner.query("ALTER TABLE `product_popularity` DROP COLUMN `repeat_buyers`");
  }
}
