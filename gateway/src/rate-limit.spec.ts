import { clientNetwork } from './rate-limit';

describe('clientNetwork', () => {
  it('counts an IPv4 address (mapped into IPv6 too) as itself', () => {
    expect(clientNetwork('203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts every address of an IPv6 /64 as one caller, however it is written', () => {
    const network = '2001:db8:aa:1::/64';
    expect(clientNetwork('2001:db8:aa:1::1')).toBe(network);
    expect(clientNetwork('2001:0db8:00aa:0001:ffff:1:2:3')).toBe(network);
    expect(clientNetwork('2001:db8:aa:1:1234::9%eth0')).toBe(network);
    expect(clientNetwork('2001:db8:aa:2::1')).not.toBe(network);
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
  });
});
