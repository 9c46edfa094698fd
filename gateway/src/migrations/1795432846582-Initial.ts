import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795432846582 implements MigrationInterface {
  name = 'Initial1795432846582';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE `partner_key` (`id` varchar(16) NOT NULL, `name` varchar(100) NOT NULL, `scopes` text NOT NULL, `secret_hash` varchar(64) NOT NULL, `created_at` datetime(3) NOT NULL, `revoked_at` datetime(3) NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE `partner_key`");
  }
}
