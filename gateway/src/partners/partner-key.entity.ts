import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../../../shared/db/columns';
import type { PartnerScope } from '../../../shared/auth/principal';

/** A partner's API key. Only a hash of the secret is kept: the key itself is shown once, at creation. */
@Entity('partner_key')
export class PartnerKey {
  /** Public part of the key (`pk_<id>_<secret>`), also what audit trails name the partner by. */
  @PrimaryColumn({ type: 'varchar', length: 16 })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'simple-array' })
  scopes!: PartnerScope[];

  /** SHA-256 of the secret, hex. The secret has 256 random bits, so a slow hash would add nothing. */
  @Column({ type: 'varchar', length: 64, name: 'secret_hash' })
  secretHash!: string;

  @DateTimeColumn({ name: 'created_at' })
  createdAt!: Date;

  @DateTimeColumn({ name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}
