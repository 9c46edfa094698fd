import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OrderChanges1795453575479 implements MigrationInterface {
  name = 'OrderChanges1795453575479';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE `order_fact` ADD `refunded` int NOT NULL DEFAULT '0'");
    await queryRunner.query("ALTER TABLE `order_fact` ADD `cancelled_at` datetime(3) NULL");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE `order_fact` DROP COLUMN `cancelled_at`");
    await queryRunner.query("ALTER TABLE `order_fact` DROP COLUMN `refunded`");
  }
}
