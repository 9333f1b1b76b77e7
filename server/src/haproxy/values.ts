// Value checks for keyword arguments, matching what HAProxy 2.6's parsers accept. Each returns an
// explanation when the value is wrong, undefined when it is fine.
import { versionStatus, type ArgSpec } from '../core/schema';
import { enumValueOf, enumValuesIn } from './keywords';

const TIME_UNITS = new Set(['us', 'ms', 's', 'm', 'h', 'd']);
const TIME_FACTORS: Record<string, number> = { us: 0.001, ms: 1, '': 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 };

export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function leadingDigits(s: string): number {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  return i;
}

export function checkTime(v: string): string | undefined {
  const n = leadingDigits(v);
  if (n === 0) return `'${v}' is not a time: write a number with an optional unit (us, ms, s, m, h, d), e.g. 5s`;
  const unit = v.slice(n);
  if (unit !== '' && !TIME_UNITS.has(unit)) {
    return `'${v}' has an unknown time unit '${unit}': use us, ms, s, m, h or d (one unit only)`;
  }
  const ms = Number(v.slice(0, n)) * TIME_FACTORS[unit];
  if (ms >= 2 ** 31) return `'${v}' is too large: HAProxy timers stop at about 24.8 days (2147483647 ms)`;
  return undefined;
}

export function checkInt(v: string, min?: number, max?: number): string | undefined {
  const neg = v.startsWith('-');
  if (!isDigits(neg ? v.slice(1) : v)) return `'${v}' is not an integer`;
  const n = Number(v);
  if (min !== undefined && n < min) return `${v} is below the minimum ${min}`;
  if (max !== undefined && n > max) return `${v} is above the maximum ${max}`;
  return undefined;
}

export function checkSize(v: string): string | undefined {
  const n = leadingDigits(v);
  const unit = v.slice(n).toLowerCase();
  if (n === 0 || (unit !== '' && unit !== 'k' && unit !== 'm' && unit !== 'g')) {
    return `'${v}' is not a size: write a number with an optional k, m or g suffix`;
  }
  return undefined;
}

export function checkPort(v: string): string | undefined {
  if (!isDigits(v)) return `'${v}' is not a port number: use 1-65535`;
  const n = Number(v);
  if (n < 1 || n > 65535) return `port ${v} is out of range: use 1-65535`;
  return undefined;
}

/**
 * Validates one word against an argument spec; only the types HAProxy itself checks strictly. An enum value
 * that exists only in other versions than `version` (`mode log` before 2.9) is refused with its range.
 */
export function checkArg(arg: ArgSpec, v: string, version?: string, versionNote = `target ${version}`): string | undefined {
  switch (arg.type) {
    case 'int':
      return checkInt(v, arg.min, arg.max);
    case 'time':
      return checkTime(v);
    case 'size':
      return checkSize(v);
    case 'port':
      return checkPort(v);
    case 'enum':
      return checkEnum(arg, v, version, versionNote);
    default:
      return undefined;
  }
}

function checkEnum(arg: ArgSpec, v: string, version: string | undefined, versionNote: string): string | undefined {
  if (!arg.values) return undefined;
  const value = enumValueOf(arg, v);
  const expected = () => `expected one of ${(version ? enumValuesIn(arg, version) : arg.values!).join(', ')}`;
  if (value === undefined) return `'${v}' is not a valid ${arg.name}: ${expected()}`;
  const range = version ? arg.valueVersions?.[value] : undefined;
  if (!range || !version) return undefined;
  const status = versionStatus(range, version);
  if (status === 'not-yet') return `'${value}' is a valid ${arg.name} only from HAProxy ${range.added} (${versionNote}): ${expected()}`;
  if (status === 'removed') return `'${value}' is no longer a valid ${arg.name} since HAProxy ${range.removed} (${versionNote}): ${expected()}`;
  return undefined;
}

/** A word whose value is only known at run time or is built by HAProxy itself. */
export function isOpaque(w: { value: string; dynamic: boolean }): boolean {
  return w.dynamic || opaqueValue(w.value);
}

/** isOpaque() of word `k` of a parsed statement (read through its accessors). */
export function isOpaqueWord(st: { value(k: number): string | undefined; dynamic(k: number): boolean }, k: number): boolean {
  return st.dynamic(k) || opaqueValue(st.value(k)!);
}

function opaqueValue(v: string): boolean {
  return v.includes('%[') || v.includes('${') || v.startsWith('$');
}

export interface ParsedAddress {
  /** Unix socket, fd@, abns@ … : no host/port. */
  socket: boolean;
  host: string;
  /** Port text after the last ':' ('' when absent). */
  portText: string;
  hasColon: boolean;
  /** Column offset of the port text inside the address string. */
  portOffset: number;
}

// rhttp@ (reverse HTTP, 2.9+) names a server (`bind rhttp@backend/server`) or nothing (`server dev rhttp@`):
// no host or port to check, like a socket.
const SOCKET_PREFIXES = ['unix@', 'abns@', 'fd@', 'sockpair@', 'uxst@', 'uxdg@', 'rhttp@'];

/** Splits `[prefix@]host[:port]` the way str2sa_range() does (the last ':' starts the port). */
export function parseAddress(a: string): ParsedAddress {
  let body = a;
  let off = 0;
  const at = a.indexOf('@');
  if (at >= 0) {
    const prefix = a.slice(0, at + 1);
    if (SOCKET_PREFIXES.includes(prefix)) return { socket: true, host: a, portText: '', hasColon: false, portOffset: 0 };
    body = a.slice(at + 1);
    off = at + 1;
  }
  if (body.startsWith('/')) return { socket: true, host: a, portText: '', hasColon: false, portOffset: 0 };
  if (body.startsWith('[')) {
    const close = body.indexOf(']');
    if (close > 0) {
      const rest = body.slice(close + 1);
      const hasColon = rest.startsWith(':');
      return { socket: false, host: body.slice(1, close), portText: hasColon ? rest.slice(1) : '', hasColon, portOffset: off + close + 2 };
    }
  }
  const colon = body.lastIndexOf(':');
  if (colon < 0) return { socket: false, host: body, portText: '', hasColon: false, portOffset: a.length };
  return { socket: false, host: body.slice(0, colon), portText: body.slice(colon + 1), hasColon: true, portOffset: off + colon + 1 };
}
