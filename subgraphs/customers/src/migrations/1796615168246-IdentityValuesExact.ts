import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity values compared byte for byte, as SQLite compares them: the code normalises values before it
 * stores or looks them up, so a collation that ignores case, width or trailing spaces only makes
 * MySQL/MariaDB disagree with the code (DEVICE `DEV-X` taken by `dev-x`, a sign-in subject with a
 * trailing space naming the account without it). A binary collation that pads no spaces: `utf8mb4_bin`
 * still ignores trailing spaces (PAD SPACE), so MariaDB gets `utf8mb4_nopad_bin` and MySQL 8
 * `utf8mb4_0900_bin`, the same comparison under two names.
 * Written by hand: TypeORM's MySQL schema diff does not compare collations, so migration:generate
 * cannot see this change (and the entities do not name the collation, which SQLite would not know).
 */
export class IdentityValuesExact1796615168246 implements MigrationInterface {
  name = 'IdentityValuesExact1796615168246';

  async up(queryRunner: QueryRunner): Promise<void> {
    const exact = queryRunner.connection.options.type === 'mariadb' ? 'utf8mb4_nopad_bin' : 'utf8mb4_0900_bin';
    await queryRunner.query(`ALTER TABLE \`customer_identity\` MODIFY \`value\` varchar(320) CHARACTER SET utf8mb4 COLLATE ${exact} NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`touchpoint\` MODIFY \`identity_value\` varchar(320) CHARACTER SET utf8mb4 COLLATE ${exact} NULL`);
    await queryRunner.query(`ALTER TABLE \`order_fact\` MODIFY \`identity_value\` varchar(320) CHARACTER SET utf8mb4 COLLATE ${exact} NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Back to the tables' collation. Values that differ only in case, width or trailing spaces (linked
    // since) make the unique index of customer_identity fail here: unlink one of each pair first.
    await queryRunner.query('ALTER TABLE `order_fact` MODIFY `identity_value` varchar(320) NULL');
    await queryRunner.query('ALTER TABLE `touchpoint` MODIFY `identity_value` varchar(320) NULL');
    await queryRunner.query('ALTER TABLE `customer_identity` MODIFY `value` varchar(320) NOT NULL');
  }
}
