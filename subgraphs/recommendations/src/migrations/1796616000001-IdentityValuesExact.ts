import type { MigrationInterface, QueryRunner } from 'typeorm';
import { identityValuesExact, identityValuesInTableCollation } from '../../../../shared/db/exact-collation';

const COLUMNS = [
  { table: 'purchase_line', column: 'identity_value', nullable: true },
  { table: 'product_view', column: 'identity_value', nullable: true },
  { table: 'identity_owner', column: 'identity_value', nullable: false },
];

/** Identity values compared byte for byte, as the customers service compares them (see exactCollation). */
export class IdentityValuesExact1796616000001 implements MigrationInterface {
  name = 'IdentityValuesExact1796616000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of identityValuesExact(queryRunner, COLUMNS)) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of identityValuesInTableCollation(COLUMNS)) await queryRunner.query(statement);
  }
}
