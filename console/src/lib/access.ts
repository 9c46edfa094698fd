import type { Session, StaffRole } from '../auth/session';

/**
 * What the screens offer each role. The graph enforces every rule (README.md, "Access"); this only
 * hides what a role would be refused, so that nobody is offered a button that cannot work.
 */
export interface Capabilities {
  search: boolean;
  /** Contact details arrive masked (store staff, marketing). */
  masked: boolean;
  cart: boolean;
  merges: boolean;
  exportData: boolean;
  erase: boolean;
  /** Store-staff actions at their own store: check in, link a card, take a return, the till. */
  atTheTill: boolean;
  storePage: boolean;
  pickups: boolean;
  analysis: boolean;
}

const BY_ROLE: Record<StaffRole, Capabilities> = {
  STORE_STAFF: { search: true, masked: true, cart: true, merges: false, exportData: false, erase: false, atTheTill: true, storePage: true, pickups: true, analysis: false },
  SUPPORT: { search: true, masked: false, cart: true, merges: true, exportData: true, erase: false, atTheTill: false, storePage: true, pickups: true, analysis: false },
  MARKETING: { search: true, masked: true, cart: false, merges: false, exportData: false, erase: false, atTheTill: false, storePage: true, pickups: false, analysis: true },
  ADMIN: { search: true, masked: false, cart: true, merges: true, exportData: true, erase: true, atTheTill: false, storePage: true, pickups: true, analysis: true },
};

export function capabilitiesOf(session: Pick<Session, 'role'>): Capabilities {
  return BY_ROLE[session.role];
}

/** The page a role starts on. */
export function homeOf(session: Pick<Session, 'role'>): string {
  return session.role === 'MARKETING' ? '/analysis' : session.role === 'STORE_STAFF' ? '/store' : '/search';
}
