import { identityValuesExactMigration } from '../../../../shared/db/exact-collation';

/** Identity values compared byte for byte, as the customers service compares them (see exactCollation). */
export const IdentityValuesExact1796666405982 = identityValuesExactMigration('IdentityValuesExact1796666405982', [
  { table: 'identity_owner', column: 'identity_value', nullable: false },
]);
