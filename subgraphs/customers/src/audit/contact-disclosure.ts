import DataLoader from 'dataloader';
import { actorOf, type Principal } from '../../../../shared/auth/principal';
import { auditsContactReads, contactView } from '../../../../shared/auth/rules';
import type { ContactAuditService } from './contact-audit.service';

/** `hanako@example.com` → `h***@example.com`: the shape stays, the address is gone. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 1 ? '***' : `${email[0]}***${email.slice(at)}`;
}

/** `+819012345678` → `+81******5678`: country code and the last four digits stay. */
export function maskPhone(phone: string): string {
  return phone.length < 8 ? '*'.repeat(phone.length) : `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/**
 * `山田 花子` → `山* **`, `神宮前1-2-3` → `神***-*-*`: the first character stays (unless a digit: a house
 * or room number), every other letter and digit becomes `*`, spaces and punctuation stay. Names and
 * street lines keep their shape, not their content.
 */
export function maskText(text: string): string {
  const masked = Array.from(text).map((c) => (/[\p{L}\p{M}\p{N}]/u.test(c) ? '*' : c));
  const first = Array.from(text)[0];
  if (first !== undefined && !/\p{N}/u.test(first)) masked[0] = first;
  return masked.join('');
}

const MASKS = {
  email: maskEmail,
  phone: maskPhone,
  'identities.EMAIL': maskEmail,
  'identities.PHONE': maskPhone,
  'addresses.recipientName': maskText,
  'addresses.line1': maskText,
  'addresses.line2': maskText,
  'addresses.phone': maskPhone,
};

export type ContactField = keyof typeof MASKS;

/**
 * Shows contact details as the principal may see them: masked for store staff and marketing; in full
 * otherwise, and then, for staff and partners, only once the read is on the audit trail. The reads of
 * one request are recorded together, one row per customer.
 */
export class ContactDisclosure {
  private readonly audit: DataLoader<string, true>;

  constructor(private readonly principal: Principal, requestId: string, service: ContactAuditService) {
    const actor = actorOf(principal);
    this.audit = new DataLoader(async (keys) => {
      const fieldsByCustomer = new Map<string, string[]>();
      for (const key of keys) {
        const [customerId, field] = key.split('\t');
        fieldsByCustomer.set(customerId, [...(fieldsByCustomer.get(customerId) ?? []), field]);
      }
      const readAt = new Date();
      await service.record(
        [...fieldsByCustomer].map(([customerId, fields]) => ({
          actorKind: actor.kind,
          actorId: actor.id,
          actorRole: actor.role,
          customerId,
          fields,
          readAt,
          requestId,
        })),
      );
      return keys.map(() => true as const);
    });
  }

  async show(customerId: string, field: ContactField, value: string | null): Promise<string | null> {
    if (value === null) return null;
    if (contactView(this.principal) === 'MASKED') return MASKS[field](value);
    if (auditsContactReads(this.principal)) await this.audit.load(`${customerId}\t${field}`);
    return value;
  }
}
