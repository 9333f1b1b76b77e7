// Address parsing shared by the rules, the cluster model and the manifest. Only what the rules need:
// IPv4/IPv6 literals, prefixes, and subnet membership.

export interface IpAddress {
  family: 4 | 6;
  /** 32 or 128 bits as a bigint, for comparisons and masks. */
  value: bigint;
  text: string;
}

export interface Cidr {
  ip: IpAddress;
  prefix?: number;
}

export function parseIpv4(s: string): IpAddress | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return { family: 4, value: v, text: s };
}

export function parseIpv6(s: string): IpAddress | undefined {
  const zone = s.indexOf('%');
  const body = zone >= 0 ? s.slice(0, zone) : s;
  if (!/^[0-9a-fA-F:.]+$/.test(body) || !body.includes(':')) return undefined;
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    const parts = h.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (!v4) return undefined;
        out.push(Number(v4.value >> 16n), Number(v4.value & 0xffffn));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  let v = 0n;
  for (const g of all) v = (v << 16n) | BigInt(g);
  return { family: 6, value: v, text: s };
}

export function parseIp(s: string): IpAddress | undefined {
  return parseIpv4(s) ?? parseIpv6(s);
}

/** `10.0.0.1`, `10.0.0.1/24`, `fe80::1/64`. */
export function parseCidr(s: string): Cidr | undefined {
  const slash = s.indexOf('/');
  const ip = parseIp(slash >= 0 ? s.slice(0, slash) : s);
  if (!ip) return undefined;
  if (slash < 0) return { ip };
  const p = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(p)) return undefined;
  const prefix = Number(p);
  if (prefix > (ip.family === 4 ? 32 : 128)) return undefined;
  return { ip, prefix };
}

export function inSubnet(ip: IpAddress, net: Cidr): boolean {
  if (ip.family !== net.ip.family || net.prefix === undefined) return false;
  const bits = BigInt(ip.family === 4 ? 32 : 128);
  const shift = bits - BigInt(net.prefix);
  return ip.value >> shift === net.ip.value >> shift;
}

export function isLoopback(ip: IpAddress): boolean {
  return ip.family === 4 ? ip.value >> 24n === 127n : ip.value === 1n;
}

export function isUnspecified(ip: IpAddress): boolean {
  return ip.value === 0n;
}

export function compareIps(a: IpAddress, b: IpAddress): number {
  if (a.family !== b.family) return a.family - b.family;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}
