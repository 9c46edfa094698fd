import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { IsNull } from 'typeorm';
import { PARTNER_SCOPES, type PartnerScope, type Principal } from '../../../shared/auth/principal';
import type { Database } from '../../../shared/db/database';
import { PartnerKey } from './partner-key.entity';

const KEY_FORMAT = /^pk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export class PartnerKeyError extends Error {}

/** What `list` shows of a key: never the secret. */
export type PartnerKeyInfo = Pick<PartnerKey, 'id' | 'name' | 'scopes' | 'createdAt' | 'revokedAt'>;

/** Partner API keys in the gateway's own database. */
export class PartnerKeys {
  constructor(private readonly db: Database) {}

  /** Creates a key; the returned `key` is the only time the secret exists outside the partner's hands. */
  async create(name: string, scopes: string[]): Promise<{ id: string; key: string }> {
    if (!name.trim() || name.length > 100) throw new PartnerKeyError('a partner key needs a name of 1-100 characters');
    const unknown = scopes.filter((s) => !PARTNER_SCOPES.includes(s as PartnerScope));
    if (unknown.length) throw new PartnerKeyError(`unknown scopes: ${unknown.join(', ')} (known: ${PARTNER_SCOPES.join(', ')})`);
    if (!scopes.length) throw new PartnerKeyError(`give at least one scope (${PARTNER_SCOPES.join(', ')})`);
    const id = randomBytes(6).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const row = Object.assign(new PartnerKey(), {
      id,
      name: name.trim(),
      scopes: [...new Set(scopes)] as PartnerScope[],
      secretHash: hashSecret(secret),
      createdAt: new Date(),
      revokedAt: null,
    });
    await this.db.transaction((manager) => manager.insert(PartnerKey, row));
    return { id, key: `pk_${id}_${secret}` };
  }

  list(): Promise<PartnerKeyInfo[]> {
    return this.db.manager.getRepository(PartnerKey).find({
      select: { id: true, name: true, scopes: true, createdAt: true, revokedAt: true },
      order: { createdAt: 'ASC' },
    });
  }

  /** Revokes a key; the next request with it is refused (keys are looked up on every request). */
  async revoke(id: string): Promise<void> {
    const result = await this.db.transaction((manager) =>
      manager.update(PartnerKey, { id, revokedAt: IsNull() }, { revokedAt: new Date() }),
    );
    if (!result.affected) throw new PartnerKeyError(`no active partner key with id ${id}`);
  }

  /** The partner a presented key belongs to; null for a malformed, unknown or revoked key. */
  async authenticate(presented: string): Promise<Extract<Principal, { kind: 'PARTNER' }> | null> {
    const match = KEY_FORMAT.exec(presented);
    if (!match) return null;
    const row = await this.db.manager.getRepository(PartnerKey).findOneBy({ id: match[1] });
    if (!row || row.revokedAt) return null;
    const expected = Buffer.from(row.secretHash, 'hex');
    if (!timingSafeEqual(expected, Buffer.from(hashSecret(match[2]), 'hex'))) return null;
    return { kind: 'PARTNER', partnerId: row.id, scopes: row.scopes };
  }
}
