import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export const STAFF_ROLES = ['STORE_STAFF', 'SUPPORT', 'MARKETING', 'ADMIN'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** A signed-in member of staff: the token the graph verifies, and what it says about them (for the screens only). */
export interface Session {
  token: string;
  role: StaffRole;
  staffId: string;
  /** The store a member of store staff works at. */
  locationId?: string;
  /** Epoch ms. */
  expiresAt: number;
  via: 'development' | 'oidc';
}

const STORAGE_KEY = 'console.session';

/** The claims of a JWT, read without verifying it: the graph verifies; the console only adapts its screens. */
export function claimsOf(token: string): Record<string, unknown> {
  const [, payload] = token.split('.');
  if (!payload) throw new Error('not a JWT');
  const base64 = payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

/** A session from a staff token (development or the identity provider's access token); null when it names no staff role. */
export function sessionOfToken(token: string, via: Session['via']): Session | null {
  const claims = claimsOf(token);
  const role = claims.role as StaffRole;
  if (!STAFF_ROLES.includes(role) || typeof claims.sub !== 'string') return null;
  const locationId = typeof claims.location_id === 'string' ? claims.location_id : undefined;
  const expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : Date.now() + 3600_000;
  return { token, role, staffId: claims.sub, locationId, expiresAt, via };
}

function storedSession(): Session | null {
  try {
    const text = sessionStorage.getItem(STORAGE_KEY);
    if (!text) return null;
    const session = JSON.parse(text) as Session;
    return session.expiresAt > Date.now() ? session : null;
  } catch {
    return null;
  }
}

interface SessionState {
  session: Session | null;
  /** Why the last session ended, to say on the sign-in page. */
  endedBecause?: 'expired';
  signIn(session: Session): void;
  signOut(reason?: 'expired'): void;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children, onSignOut }: { children: ReactNode; onSignOut?: () => void }) {
  const [session, setSession] = useState<Session | null>(storedSession);
  const [endedBecause, setEndedBecause] = useState<'expired' | undefined>();
  const signIn = useCallback((next: Session) => {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    setEndedBecause(undefined);
    setSession(next);
  }, []);
  const signOut = useCallback(
    (reason?: 'expired') => {
      sessionStorage.removeItem(STORAGE_KEY);
      setEndedBecause(reason);
      setSession(null);
      onSignOut?.();
    },
    [onSignOut],
  );
  const value = useMemo(() => ({ session, endedBecause, signIn, signOut }), [session, endedBecause, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}

/** The signed-in session (pages behind the sign-in only). */
export function useSignedIn(): Session {
  const { session } = useSession();
  if (!session) throw new Error('not signed in');
  return session;
}
