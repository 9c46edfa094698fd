import type { Config } from '../../shared/config';
import { Database } from '../../shared/db/database';
import type { Logger } from '../../shared/logger';
import { GATEWAY_MIGRATIONS } from './migrations';
import { PartnerKey } from './partners/partner-key.entity';

/** The gateway's own small database (partner keys): `<DB_PREFIX>gateway`, or `gateway.sqlite`. */
export const GATEWAY_STORAGE = { entities: [PartnerKey], migrations: GATEWAY_MIGRATIONS };

export function openGatewayDatabase(config: Config, logger: Logger): Promise<Database> {
  return Database.open({ service: 'gateway', ...GATEWAY_STORAGE, config, logger });
}
