import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../../shared/config';
import { DAY_MS, markForReplay } from '../../shared/events/outbox';
import { eachDatabase, servicesNamed, UsageError } from './open-event-databases';

const USAGE = `usage: npm run events:replay -- --since <ISO 8601 time> [--service <name>]`;

/**
 * `npm run events:replay -- --since <time> [--service <name>]`: publishes again every event the
 * services' outboxes published since that time (kept for OUTBOX_RETENTION_DAYS), e.g. after Redis came
 * back empty. It marks the rows unpublished; each running service's relay publishes them again within
 * a second, in their order, and consumers skip the events they have already handled.
 */
export async function replay(argv: string[], config: Config, print: (line: string) => void = console.log): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { since: { type: 'string' }, service: { type: 'string' } } });
  if (!values.since) throw new UsageError(USAGE);
  const since = new Date(values.since);
  if (Number.isNaN(since.getTime()) || !/^\d{4}-\d\d-\d\d/.test(values.since)) throw new UsageError(`--since must be an ISO 8601 time (got "${values.since}")\n${USAGE}`);
  if (since.getTime() > Date.now()) throw new UsageError(`--since lies in the future (${since.toISOString()})`);
  const services = servicesNamed(values.service);
  const kept = new Date(Date.now() - config.outboxRetentionDays * DAY_MS);
  if (since < kept) print(`Outboxes keep published events for ${config.outboxRetentionDays} days (OUTBOX_RETENTION_DAYS): nothing before ${kept.toISOString()} is left to replay.`);
  let total = 0;
  await eachDatabase(config, services, async (service, db) => {
    const marked = await markForReplay(db, since);
    total += marked;
    print(`${service}: ${marked} events published since ${since.toISOString()} marked for publishing again`);
  });
  print(
    total
      ? "Each running service's outbox relay publishes them again within a second (a stopped one when it starts); consumers skip what they have already handled."
      : 'Nothing to replay.',
  );
  return total;
}

if (require.main === module) {
  replay(process.argv.slice(2), loadConfig()).catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
