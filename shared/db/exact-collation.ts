import type { QueryRunner } from 'typeorm';

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

/** `ALTER TABLE` statements giving each `table.column` (varchar(320) identity values) the exact collation. */
export function identityValuesExact(queryRunner: QueryRunner, columns: Array<{ table: string; column: string; nullable: boolean }>): string[] {
  const exact = exactCollation(queryRunner);
  return columns.map(
    ({ table, column, nullable }) =>
      `ALTER TABLE \`${table}\` MODIFY \`${column}\` varchar(320) CHARACTER SET utf8mb4 COLLATE ${exact} ${nullable ? 'NULL' : 'NOT NULL'}`,
  );
}

/** The statements undoing identityValuesExact: back to each table's own collation. */
export function identityValuesInTableCollation(columns: Array<{ table: string; column: string; nullable: boolean }>): string[] {
  return columns.map(({ table, column, nullable }) => `ALTER TABLE \`${table}\` MODIFY \`${column}\` varchar(320) ${nullable ? 'NULL' : 'NOT NULL'}`);
}
