import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { PartnerKeyError, PartnerKeys } from '../gateway/src/partners/partner-keys';
import { openGatewayDatabase } from '../gateway/src/storage';
import { PARTNER_SCOPES } from '../shared/auth/principal';
import { loadConfig } from '../shared/config';
import { createLogger } from '../shared/logger';

const USAGE = `usage: npm run -s partner-key -- create --name <partner> --scopes <scope,scope,...>
       npm run -s partner-key -- list
       npm run -s partner-key -- revoke <key id>
scopes: ${PARTNER_SCOPES.join(', ')}`;

/** `npm run partner-key`: creates, lists and revokes partner API keys in the gateway's database. */
async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { name: { type: 'string' }, scopes: { type: 'string' } },
  });
  const [command, id] = positionals;
  const config = loadConfig();
  const db = await openGatewayDatabase(config, createLogger({ logLevel: 'warn' }, 'partner-key'));
  const keys = new PartnerKeys(db);
  try {
    if (command === 'create' && values.name && values.scopes) {
      const created = await keys.create(values.name, values.scopes.split(',').map((s) => s.trim()).filter(Boolean));
      console.log(`Created partner key ${created.id}. Send it in the X-Api-Key header; it is shown only this once:\n${created.key}`);
    } else if (command === 'list') {
      for (const key of await keys.list()) {
        const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active';
        console.log(`${key.id}\t${key.name}\t${key.scopes.join(',')}\tcreated ${key.createdAt.toISOString()}\t${state}`);
      }
    } else if (command === 'revoke' && id) {
      await keys.revoke(id);
      console.log(`Revoked ${id}: requests with it are refused from now on.`);
    } else {
      throw new PartnerKeyError(USAGE);
    }
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
