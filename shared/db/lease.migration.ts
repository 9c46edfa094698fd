import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The lease table (shared/db/lease.ts), the same in every subgraph's database: periodic jobs run
 * once across replicas. Each service's migration is made by this one factory.
 */
export function serviceLeaseMigration(name: string): new () => MigrationInterface {
  return class implements MigrationInterface {
    name = name;

    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(
        'CREATE TABLE `service_lease` (`name` varchar(100) NOT NULL, `owner` varchar(64) NOT NULL, `expires_at` datetime(3) NOT NULL, PRIMARY KEY (`name`)) ENGINE=InnoDB',
      );
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query('DROP TABLE `service_lease`');
    }
  };
}
