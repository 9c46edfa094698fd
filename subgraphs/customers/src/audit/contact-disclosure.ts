import DataLoader from 'dataloader';
import { actorOf, type Principal } from '../../../../shared/auth/principal';
import { auditsContactReads, contactView } from '../../../../shared/auth/rules';
import { maskEmail, maskPhone, maskText } from '../../../../shared/masking';
import type { ContactAuditService } from './contact-audit.service';

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
