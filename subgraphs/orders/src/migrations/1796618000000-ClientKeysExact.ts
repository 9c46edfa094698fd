import type { MigrationInterface, QueryRunner } from 'typeorm';
import { exactCollation } from '../../../../shared/db/exact-collation';

/**
 * Keys clients choose, compared byte for byte as the code compares them (see exactCollation): a till's
 * transaction ids `T-1` and `t-1`, or idempotency keys that differ in case, are two, not a clash of
 * unique keys that fails the whole import.
 */
export class ClientKeysExact1796618000000 implements MigrationInterface {
  name = 'ClientKeysExact1796618000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const exact = exactCollation(queryRunner);
    await queryRunner.query(`ALTER TABLE \`customer_order\` MODIFY \`external_id\` varchar(100) CHARACTER SET utf8mb4 COLLATE ${exact} NULL`);
    await queryRunner.query(`ALTER TABLE \`customer_order\` MODIFY \`idempotency_key\` varchar(100) CHARACTER SET utf8mb4 COLLATE ${exact} NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `customer_order` MODIFY `idempotency_key` varchar(100) NULL');
    await queryRunner.query('ALTER TABLE `customer_order` MODIFY `external_id` varchar(100) NULL');
  }
}
