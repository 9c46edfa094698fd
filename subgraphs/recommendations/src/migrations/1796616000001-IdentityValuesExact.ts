import { identityValuesExactMigration } from '../../../../shared/db/exact-collation';

/** Identity values compared byte for byte, as the customers service compares them (see exactCollation). */
export const IdentityValuesExact1796616000001 = identityValuesExactMigration('IdentityValuesExact1796616000001', [
  { table: 'purchase_line', column: 'identity_value', nullable: true },
  { table: 'product_view', column: 'identity_value', nullable: true },
  { table: 'identity_owner', column: 'identity_value', nullable: false },
]);
