import { CallerAllowList } from './caller-allow-list.js';

describe('CallerAllowList', () => {
  it('allows everyone when no range is configured', () => {
    expect(new CallerAllowList([]).allows('198.51.100.1')).toBe(true);
  });

  it('checks IPv4, IPv4-mapped IPv6 and IPv6 addresses against CIDR ranges and single addresses', () => {
    const list = new CallerAllowList(['10.0.0.0/8', '203.0.113.7', '2001:db8::/32']);
    expect(list.allows('10.200.3.4')).toBe(true);
    expect(list.allows('::ffff:10.200.3.4')).toBe(true);
    expect(list.allows('203.0.113.7')).toBe(true);
    expect(list.allows('203.0.113.8')).toBe(false);
    expect(list.allows('11.0.0.1')).toBe(false);
    expect(list.allows('2001:db8:1::5')).toBe(true);
    expect(list.allows('2001:db9::1')).toBe(false);
  });

  it('refuses a missing or malformed address', () => {
    const list = new CallerAllowList(['10.0.0.0/8']);
    expect(list.allows(undefined)).toBe(false);
    expect(list.allows('not-an-ip')).toBe(false);
  });
});
