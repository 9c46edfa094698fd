import { SERVICE_NAMES, type Config, type SubgraphName } from '../../shared/config';
import { Database } from '../../shared/db/database';
import { createLogger } from '../../shared/logger';
import { DATABASES } from '../subgraphs';

/** The services whose databases an events command works on: all, or the one `--service` names. */
export function servicesNamed(service: string | undefined): SubgraphName[] {
  if (service === undefined) return [...SERVICE_NAMES];
  if (!(SERVICE_NAMES as readonly string[]).includes(service)) {
    throw new UsageError(`--service must be one of ${SERVICE_NAMES.join(', ')} (got "${service}")`);
  }
  return [service as SubgraphName];
}

/** Runs `work` on each service's database in turn (SQLite files or MySQL, as configured). */
export async function eachDatabase(config: Config, services: SubgraphName[], work: (service: SubgraphName, db: Database) => Promise<void>): Promise<void> {
  for (const service of services) {
    const { entities, migrations } = DATABASES[service];
    const db = await Database.open({ service, entities, migrations, config, logger: createLogger({ logLevel: 'warn' }, 'events') });
    try {
      await work(service, db);
    } finally {
      await db.close();
    }
  }
}

/** A command used wrongly: its message is the usage. */
export class UsageError extends Error {}
