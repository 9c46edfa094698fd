import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../../shared/config';
import { DeadLetterStore } from '../../shared/events/dead-letters';
import { eachDatabase, servicesNamed, UsageError } from './open-event-databases';

const USAGE = `usage: npm run events:dead-letters -- list [--service <name>] [--json]
       npm run events:dead-letters -- retry [<id> ...] [--service <name>]    (no id: every one)
       npm run events:dead-letters -- drop <id> ... | --all [--service <name>]`;

/**
 * `npm run events:dead-letters`: the entries consumers gave up on (unparseable, failing the catalog's
 * schema, or failing their handler EVENT_MAX_DELIVERIES times), kept in each consuming service's
 * database. `retry` asks the running consumer to deliver them again (within 5 s; a stopped service
 * when it starts); `drop` deletes them and records their events as handled, so a replay skips them.
 */
export async function deadLetters(argv: string[], config: Config, print: (line: string) => void = console.log): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { service: { type: 'string' }, json: { type: 'boolean', default: false }, all: { type: 'boolean', default: false } },
  });
  const [command, ...ids] = positionals;
  const services = servicesNamed(values.service);
  let count = 0;
  if (command === 'list') {
    await eachDatabase(config, services, async (service, db) => {
      for (const letter of await new DeadLetterStore(db).list()) {
        count++;
        if (values.json) {
          print(JSON.stringify({ service, ...letter }));
          continue;
        }
        const retry = letter.retryRequestedAt ? ` (retry asked ${letter.retryRequestedAt.toISOString()})` : '';
        print(
          `${letter.id}  ${service}  ${letter.deadAt.toISOString()}  from ${letter.producer} (entry ${letter.entryId})  ` +
            `${letter.reason} after ${letter.deliveries} ${letter.deliveries === 1 ? 'delivery' : 'deliveries'}  ` +
            `${letter.eventType ?? '?'} ${letter.eventId ?? '?'}${retry}\n    ${letter.error}`,
        );
      }
    });
    print(count ? `${count} dead letters (--json shows each entry as it travelled)` : 'No dead letters.');
  } else if (command === 'retry') {
    await eachDatabase(config, services, async (service, db) => {
      const asked = await new DeadLetterStore(db).requestRetry(ids.length ? ids : undefined);
      count += asked;
      if (asked) print(`${service}: ${asked} dead letters to be delivered again`);
    });
    print(count ? 'The running consumers deliver them again within 5 seconds; `list` shows those that failed again.' : 'No such dead letter.');
  } else if (command === 'drop' && (ids.length || values.all)) {
    await eachDatabase(config, services, async (service, db) => {
      const store = new DeadLetterStore(db);
      const dropped = await store.drop(values.all ? (await store.list()).map((l) => l.id) : ids);
      count += dropped;
      if (dropped) print(`${service}: ${dropped} dead letters dropped (their events count as handled)`);
    });
    if (!count) print('No such dead letter.');
  } else {
    throw new UsageError(USAGE);
  }
  return count;
}

if (require.main === module) {
  deadLetters(process.argv.slice(2), loadConfig()).catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
