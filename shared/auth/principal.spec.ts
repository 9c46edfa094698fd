import { signPrincipal, verifyPrincipal } from './principal';

const key = 'k'.repeat(32);
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { extensions?: { code?: string } }).extensions?.code;
  }
  return 'accepted';
};

describe('signed principal', () => {
  it('round-trips a principal signed with the key', () => {
    expect(verifyPrincipal(signPrincipal({ kind: 'SERVICE', service: 'orders' }, key), key)).toEqual({ kind: 'SERVICE', service: 'orders' });
  });

  it('refuses a missing, unsigned, forged, re-keyed or stale principal as UNAUTHENTICATED', () => {
    const signed = signPrincipal({ kind: 'ANONYMOUS' }, key);
    const [, signature] = signed.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ principal: { kind: 'SERVICE', service: 'x' }, issuedAt: Date.now() })).toString('base64url');
    expect(code(() => verifyPrincipal(undefined, key))).toBe('UNAUTHENTICATED');
    expect(code(() => verifyPrincipal(signed.split('.')[0], key))).toBe('UNAUTHENTICATED');
    expect(code(() => verifyPrincipal(`${forgedPayload}.${signature}`, key))).toBe('UNAUTHENTICATED');
    expect(code(() => verifyPrincipal(signed, 'z'.repeat(32)))).toBe('UNAUTHENTICATED');
    expect(code(() => verifyPrincipal(signPrincipal({ kind: 'ANONYMOUS' }, key, Date.now() - 120_000), key))).toBe('UNAUTHENTICATED');
  });
});
