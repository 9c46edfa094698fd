import type { MigrationInterface, QueryRunner } from 'typeorm';
import { identityValuesExact, identityValuesInTableCollation } from '../../../../shared/db/exact-collation';

const COLUMNS = [
  { table: 'customer_identity', column: 'value', nullable: false },
  { table: 'touchpoint', column: 'identity_value', nullable: true },
  { table: 'order_fact', column: 'identity_value', nullable: true },
];

/**
 * Identity values compared byte for byte (see exactCollation): a sign-in subject with a trailing space
 * no longer names the account without it, nor a DEVICE `DEV-X` the key `dev-x`.
 */
export class IdentityValuesExact1796615168246 implements MigrationInterface {
  name = 'IdentityValuesExact1796615168246';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of identityValuesExact(queryRunner, COLUMNS)) await queryRunner.query(statement);
  }

  // Values that differ only in case, width or trailing spaces (linked since) make the unique index of
  // customer_identity fail on the way back: unlink one of each pair first.
  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of identityValuesInTableCollation([...COLUMNS].reverse())) await queryRunner.query(statement);
  }
}
