import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The collation that compares text byte for byte without padding spaces, as SQLite does: for values
 * the code normalises before it stores or looks them up (identities), so that MySQL/MariaDB never
 * make two values one that the code keeps apart (`DEV-X` and `dev-x`, `idp-x` and `idp-x `).
 * `utf8mb4_bin` still pads spaces; MariaDB names the right one `utf8mb4_nopad_bin`, MySQL 8
 * `utf8mb4_0900_bin`. TypeORM's schema diff does not compare collations, so migrations set it by hand.
 */
export function exactCollation(queryRunner: QueryRunner): string {
  return queryRunner.connection.options.type === 'mariadb' ? 'utf8mb4_nopad_bin' : 'utf8mb4_0900_bin';
}

/** An identity value column: varchar(320), as the entities declare it. */
export interface IdentityValueColumn {
  table: string;
  column: string;
  nullable: boolean;
}

/**
 * A migration giving identity value columns the exact collation (down: back to the table's own).
 * `name` ends in the migration's timestamp, as TypeORM orders migrations by it.
 */
export function identityValuesExactMigration(name: string, columns: IdentityValueColumn[]): new () => MigrationInterface {
  const type = (nullable: boolean) => `varchar(320) ${nullable ? 'NULL' : 'NOT NULL'}`;
  return class implements MigrationInterface {
    name = name;

    async up(queryRunner: QueryRunner): Promise<void> {
      const exact = exactCollation(queryRunner);
      for (const { table, column, nullable } of columns) {
        await queryRunner.query(`ALTER TABLE \`${table}\` MODIFY \`${column}\` varchar(320) CHARACTER SET utf8mb4 COLLATE ${exact} ${nullable ? 'NULL' : 'NOT NULL'}`);
      }
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      for (const { table, column, nullable } of [...columns].reverse()) await queryRunner.query(`ALTER TABLE \`${table}\` MODIFY \`${column}\` ${type(nullable)}`);
    }
  };
}
