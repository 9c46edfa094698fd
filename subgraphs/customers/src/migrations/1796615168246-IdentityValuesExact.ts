import { identityValuesExactMigration } from '../../../../shared/db/exact-collation';

/**
 * Identity values compared byte for byte (see exactCollation): a sign-in subject with a trailing space
 * no longer names the account without it, nor a DEVICE `DEV-X` the key `dev-x`. On the way back,
 * values that differ only in case, width or trailing spaces (linked since) make the unique index of
 * customer_identity fail: unlink one of each pair first.
 */
export const IdentityValuesExact1796615168246 = identityValuesExactMigration('IdentityValuesExact1796615168246', [
  { table: 'customer_identity', column: 'value', nullable: false },
  { table: 'touchpoint', column: 'identity_value', nullable: true },
  { table: 'order_fact', column: 'identity_value', nullable: true },
]);
