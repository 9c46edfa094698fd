import type { ConsoleServerConfig } from './config';

/** Staff roles the graph knows (README.md, "Access"). */
export const STAFF_ROLES = ['STORE_STAFF', 'SUPPORT', 'MARKETING', 'ADMIN'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface StaffHolder {
  role: StaffRole;
  staffId: string;
  locationId?: string;
}

/** Signs a development token for a member of staff, as the identity provider would. */
export type MintStaffToken = (holder: StaffHolder) => Promise<string>;

/** What the graph's configuration says about tokens: its environment, and its development key (unset when an identity provider is configured or in production). */
export interface GraphTokenSettings {
  nodeEnv: 'development' | 'test' | 'production';
  jwt: { developmentKey?: string };
}

/**
 * The development sign-in, or undefined where it must not exist: in production (either side), when
 * the gateway verifies tokens with an identity provider (no development key), or when the console
 * itself is configured for OpenID Connect. Tokens it mints are the ones `npm run token` prints.
 */
export function developmentSignIn(graph: GraphTokenSettings, console: ConsoleServerConfig, mint: MintStaffToken): MintStaffToken | undefined {
  if (graph.nodeEnv === 'production' || console.nodeEnv === 'production') return undefined;
  if (!graph.jwt.developmentKey) return undefined;
  if (console.oidc) return undefined;
  return mint;
}

/** The staff id a development sign-in acts as: one per role (and store), so the graph's per-staff budgets apply as for a person. */
export function developmentStaffId(role: StaffRole, locationId?: string): string {
  return `console-${role.toLowerCase().replace(/_/g, '-')}${locationId ? `-${locationId}` : ''}`;
}
