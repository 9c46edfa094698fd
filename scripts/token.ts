import { parseArgs } from 'node:util';
import { mintDevelopmentToken, type TokenFor } from '../gateway/src/auth/development-tokens';
import { STAFF_ROLES, type StaffRole } from '../shared/auth/principal';
import { loadConfig } from '../shared/config';

const USAGE = `usage: npm run -s token -- --customer <customer id or EC_ACCOUNT>
       npm run -s token -- --role <${STAFF_ROLES.join('|')}> [--location <location id>] [--staff <staff id>]
options: --ttl <seconds> (default 43200)
Prints a development JWT (signed with the local key; refused when JWT_JWKS_URL is set).`;

/** `npm run token`: mints a development token for a customer or a staff member. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      customer: { type: 'string' },
      role: { type: 'string' },
      location: { type: 'string' },
      staff: { type: 'string' },
      ttl: { type: 'string', default: '43200' },
    },
  });
  const ttl = Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl < 1) throw new Error(`--ttl must be a positive number of seconds\n${USAGE}`);
  let holder: TokenFor;
  if (values.customer && !values.role) {
    holder = { customer: values.customer };
  } else if (values.role && !values.customer) {
    const role = values.role as StaffRole;
    if (!STAFF_ROLES.includes(role)) throw new Error(`unknown role ${values.role}\n${USAGE}`);
    if (role === 'STORE_STAFF' && !values.location) throw new Error(`STORE_STAFF needs --location <location id>\n${USAGE}`);
    holder = { role, staffId: values.staff ?? `dev-${role.toLowerCase()}`, locationId: values.location };
  } else {
    throw new Error(USAGE);
  }
  console.log(await mintDevelopmentToken(loadConfig().jwt, holder, ttl));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
