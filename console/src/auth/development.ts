import type { Session, StaffRole } from './session';
import { sessionOfToken } from './session';

/** Signs in with a development token from the console server (only while no identity provider is configured). */
export async function developmentSignIn(role: StaffRole, locationId?: string): Promise<Session> {
  const response = await fetch('/auth/development-token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role, locationId }),
  });
  const body = (await response.json().catch(() => ({}))) as { token?: string; error?: { code: string } };
  if (!response.ok || !body.token) throw new Error(body.error?.code ?? `HTTP ${response.status}`);
  const session = sessionOfToken(body.token, 'development');
  if (!session) throw new Error('NO_STAFF_ROLE');
  return session;
}
