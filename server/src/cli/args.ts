import type { Language, SeveritySetting } from '../core/types';
import { isLanguage } from '../engine/detect';

export type OutputFormat = 'text' | 'json' | 'sarif';

export interface CheckArgs {
  paths: string[];
  lang?: Language;
  format: OutputFormat;
  haproxyVersion?: string;
  maxWarnings?: number;
  severities: Record<string, SeveritySetting>;
  color: boolean;
}

export class UsageError extends Error {}

const SEVERITIES = ['error', 'warning', 'information', 'hint', 'off'];

/** Parses `haconf check` arguments. Accepts `--opt value` and `--opt=value`. */
export function parseCheckArgs(argv: string[]): CheckArgs {
  const out: CheckArgs = { paths: [], format: 'text', severities: {}, color: false };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let inline: string | undefined;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) {
      inline = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--lang': {
        const v = value();
        if (!isLanguage(v)) throw new UsageError(`--lang must be haproxy, keepalived or corosync, not '${v}'`);
        out.lang = v;
        break;
      }
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'json' && v !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not '${v}'`);
        out.format = v;
        break;
      }
      case '--haproxy-version': {
        const v = value();
        if (!/^\d+\.\d+$/.test(v)) throw new UsageError(`--haproxy-version takes major.minor such as 2.6, not '${v}'`);
        out.haproxyVersion = v;
        break;
      }
      case '--max-warnings': {
        const v = value();
        if (!/^\d+$/.test(v)) throw new UsageError(`--max-warnings takes a non-negative integer, not '${v}'`);
        out.maxWarnings = Number(v);
        break;
      }
      case '--rule': {
        // --rule haproxy/missing-timeout=off
        const v = value();
        const m = /^([a-z]+\/[a-z0-9-]+)=([a-z]+)$/.exec(v);
        if (!m || !SEVERITIES.includes(m[2])) throw new UsageError(`--rule takes CODE=${SEVERITIES.join('|')}, not '${v}'`);
        out.severities[m[1]] = m[2] as SeveritySetting;
        break;
      }
      case '--color':
        out.color = true;
        break;
      case '--':
        out.paths.push(...argv.slice(i + 1));
        i = argv.length;
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        out.paths.push(argv[i]);
    }
  }
  return out;
}
