// Checks one value against its schema shape the way the 3.1.7 daemon reads it: integers with strtoll
// and nothing after the digits, enums and switches by exact (case-sensitive) comparison.
import type { ArgSpec, KeywordSpec } from '../core/schema';
import { didYouMean } from '../core/schema';
import { parseIp } from '../core/net';

export interface ValueProblem {
  message: string;
  /** Replacement value for a quick fix, when one is obvious. */
  suggestion?: string;
}

const INT = /^[+-]?\d+$/;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;

function trailingCommentHint(v: string): string {
  const hash = v.indexOf('#');
  return hash > 0 ? `; corosync has no trailing comments, so '${v.slice(hash)}' is part of the value: move the comment to its own line` : '';
}

function checkInt(key: string, v: string, arg: ArgSpec): ValueProblem | undefined {
  const digits = /^[+-]?\d+/.exec(v)?.[0];
  if (!INT.test(v)) {
    return {
      message: `${key} needs an integer${rangeText(arg)}, not '${v}'${trailingCommentHint(v)}.`,
      suggestion: digits && v.slice(digits.length).trim().startsWith('#') ? digits : undefined,
    };
  }
  const n = BigInt(v);
  if ((arg.min !== undefined && n < BigInt(arg.min)) || (arg.max !== undefined && n > bigMax(arg.max))) {
    return { message: `${key} is ${v}, outside the accepted range${rangeText(arg)}.` };
  }
  return undefined;
}

const U64_MAX = (1n << 64n) - 1n;

/** JSON cannot hold 2^64-1 exactly; the schema writes any unsigned 64-bit bound as a larger-than-safe number. */
function bigMax(max: number): bigint {
  return max > Number.MAX_SAFE_INTEGER ? U64_MAX : BigInt(max);
}

function rangeText(arg: ArgSpec): string {
  return arg.min !== undefined && arg.max !== undefined ? ` in ${arg.min}..${bigMax(arg.max)}` : '';
}

function checkWord(key: string, v: string, values: string[]): ValueProblem | undefined {
  if (values.includes(v)) return undefined;
  const lower = values.find((x) => x === v.toLowerCase());
  const guess = lower ?? didYouMean(v, values);
  return {
    message: `${key} accepts ${values.map((x) => `'${x}'`).join(', ')}, not '${v}'${guess ? ` (did you mean '${guess}'?)` : ''}${trailingCommentHint(v)}.`,
    suggestion: guess,
  };
}

function checkAddress(key: string, v: string, allowName: boolean): ValueProblem | undefined {
  if (v === '') return { message: `${key} is empty; give an IP address${allowName ? ' or a host name' : ''}.` };
  if (parseIp(v)) return undefined;
  // Looks like an address attempt (digits and dots, or hex with colons) but does not parse.
  if (/^[\d.]+$/.test(v) || (/^[0-9A-Fa-f:.%]+$/.test(v) && v.includes(':'))) {
    return { message: `${key}: '${v}' is not a valid IPv4 or IPv6 address${trailingCommentHint(v)}.` };
  }
  if (HOSTNAME.test(v)) return undefined; // a name; the daemon resolves it at start-up
  return { message: `${key}: '${v}' is neither an IP address nor a host name${trailingCommentHint(v)}.` };
}

/** Keys whose values have a shape beyond their schema type. */
function special(path: string, v: string): ValueProblem | undefined {
  switch (path) {
    case 'totem.version':
      return v === '2' ? undefined : { message: `totem.version must be 2; corosync 3 refuses '${v}' ("can only parse version 2 configurations").`, suggestion: '2' };
    case 'quorum.auto_tie_breaker_node':
      return /^(lowest|highest|\d+( +\d+)*)$/.test(v) ? undefined : { message: `auto_tie_breaker_node takes 'lowest', 'highest' or a space-separated list of nodeids, not '${v}'.` };
    case 'system.priority': {
      if (v === 'max' || v === 'min') return undefined;
      return INT.test(v) && Number(v) >= -20 && Number(v) <= 19 ? undefined : { message: `system.priority takes 'max', 'min' or a nice value in -20..19, not '${v}'.` };
    }
    default:
      return undefined;
  }
}

/** Problems with `value` for the key described by `spec` at `path` (e.g. `totem.token`). */
export function checkValue(path: string, spec: KeywordSpec, value: string): ValueProblem | undefined {
  const own = special(path, value);
  if (own) return own;
  const arg = spec.args?.[0];
  if (!arg) return undefined;
  const key = path;
  switch (arg.type) {
    case 'int':
    case 'port':
      return checkInt(key, value, arg);
    case 'enum':
      return checkWord(key, value, arg.values ?? []);
    case 'bool':
      // votequorum flags are integers (any 0..255); the other switches are fixed words.
      if (arg.min !== undefined) {
        const p = checkInt(key, value, arg);
        return p
          ? {
              message: `${key} is a 0/1 switch stored as an integer${rangeText(arg)}; '${value}' is refused${trailingCommentHint(value)}.`,
              suggestion: value === 'yes' || value === 'on' ? '1' : value === 'no' || value === 'off' ? '0' : p.suggestion,
            }
          : undefined;
      }
      return checkWord(key, value, arg.values ?? []);
    case 'ip':
      return checkAddress(key, value, path === 'totem.interface.bindnetaddr' || path === 'totem.interface.mcastaddr');
    case 'address':
      return checkAddress(key, value, true);
    case 'path':
      return value === '' ? { message: `${key} is empty; give a path.` } : undefined;
    default:
      return undefined;
  }
}
