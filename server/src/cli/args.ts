import type { Language, SeveritySetting } from '../core/types';
import { isLanguage } from '../engine/detect';
import { allRules } from '../engine/rules';
import { didYouMean } from '../core/schema';

export type OutputFormat = 'text' | 'json' | 'sarif';

export interface CheckArgs {
  paths: string[];
  lang?: Language;
  format: OutputFormat;
  haproxyVersion?: string;
  keepalivedVersion?: string;
  maxWarnings?: number;
  severities: Record<string, SeveritySetting>;
  color: boolean;
  /** `--upgrade-to X.Y`: run the upgrade assistant (cli/upgrade.ts) instead of a plain check. */
  upgradeTo?: string;
  /** `--write` (with --upgrade-to): write the rewrites instead of printing them as a diff. */
  write?: boolean;
}

export class UsageError extends Error {}

const SEVERITIES = ['error', 'warning', 'information', 'hint', 'off'];

/** Walks argv one argument at a time, accepting `--opt value` and `--opt=value`; shared by every subcommand. */
export class ArgCursor {
  private i = -1;
  private inline: string | undefined;
  /** The current argument, without any `=value`. */
  name = '';

  constructor(private readonly argv: string[]) {}

  next(): boolean {
    if (++this.i >= this.argv.length) return false;
    const a = this.argv[this.i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    this.inline = eq > 0 ? a.slice(eq + 1) : undefined;
    this.name = eq > 0 ? a.slice(0, eq) : a;
    return true;
  }

  /** The option's value: after `=`, or the next argument (which may not look like an option). */
  value(): string {
    const v = this.inline ?? this.argv[++this.i];
    if (v === undefined || (this.inline === undefined && v.startsWith('-') && v !== '-')) throw new UsageError(`${this.name} needs a value`);
    return v;
  }

  flag(): true {
    if (this.inline !== undefined) throw new UsageError(`${this.name} takes no value`);
    return true;
  }

  /** Everything after the current argument (for `--`). */
  rest(): string[] {
    const r = this.argv.slice(this.i + 1);
    this.i = this.argv.length;
    return r;
  }
}

/** Parses `haconf check` arguments. */
export function parseCheckArgs(argv: string[]): CheckArgs {
  const out: CheckArgs = { paths: [], format: 'text', severities: {}, color: false };
  const args = new ArgCursor(argv);
  while (args.next()) {
    const a = args.name;
    const value = () => args.value();
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
      case '--keepalived-version': {
        const v = value();
        if (!/^\d+\.\d+(\.\d+)?$/.test(v)) throw new UsageError(`--keepalived-version takes a version such as 2.2 or 2.3.4, not '${v}'`);
        out.keepalivedVersion = v;
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
        const codes = allRules().map((rule) => rule.code);
        if (!codes.includes(m[1])) {
          // A misspelt code would otherwise change nothing, silently: the check runs with the default.
          const suggestion = didYouMean(m[1], codes);
          throw new UsageError(`--rule: no rule '${m[1]}'${suggestion ? `; did you mean '${suggestion}'?` : ''} (docs/rules.md lists every code)`);
        }
        out.severities[m[1]] = m[2] as SeveritySetting;
        break;
      }
      case '--color':
        out.color = args.flag();
        break;
      case '--upgrade-to': {
        const v = value();
        if (!/^\d+\.\d+$/.test(v)) throw new UsageError(`--upgrade-to takes major.minor such as 3.2, not '${v}'`);
        out.upgradeTo = v;
        break;
      }
      case '--write':
        out.write = args.flag();
        break;
      case '--':
        out.paths.push(...args.rest());
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        out.paths.push(a);
    }
  }
  if (out.write && !out.upgradeTo) throw new UsageError('--write only goes with --upgrade-to (it writes the upgrade rewrites)');
  return out;
}
