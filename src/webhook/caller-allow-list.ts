import { BlockList, isIPv4 } from 'node:net';
import { parseCidr } from '../config/app-config.js';

/** CALLBACK_ALLOWED_IPS: the ranges Tencent's webhook requests may come from. */
export class CallerAllowList {
  private readonly list = new BlockList();
  readonly enabled: boolean;

  constructor(ranges: readonly string[]) {
    for (const range of ranges) {
      const cidr = parseCidr(range);
      if (cidr) this.list.addSubnet(cidr.address, cidr.prefix, cidr.family);
    }
    this.enabled = ranges.length > 0;
  }

  allows(address: string | undefined): boolean {
    if (!this.enabled) return true;
    if (!address) return false;
    // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    const ip = mapped ?? address;
    try {
      return this.list.check(ip, isIPv4(ip) ? 'ipv4' : 'ipv6');
    } catch {
      return false;
    }
  }
}
