// keepalived/script-security and keepalived/script-not-absolute.
import { lineRange } from '../../core/range';
import type { Fix } from '../../core/types';
import type { KaStatement, KaWord } from '../types';
import { related, type RuleContext } from './context';

/** Keywords whose first argument is a command keepalived executes, by the block kind they live in. */
const SCRIPT_KEYWORDS: Record<string, string[]> = {
  vrrp_script: ['script'],
  vrrp_instance: ['notify', 'notify_master', 'notify_backup', 'notify_fault', 'notify_stop', 'notify_deleted', 'notify_master_rx_lower_pri'],
  vrrp_sync_group: ['notify', 'notify_master', 'notify_backup', 'notify_fault', 'notify_stop'],
  virtual_server: ['quorum_up', 'quorum_down'],
  real_server: ['notify_up', 'notify_down'],
  MISC_CHECK: ['misc_path'],
  global_defs: ['startup_script', 'shutdown_script', 'notify_fifo_script', 'vrrp_notify_fifo_script', 'lvs_notify_fifo_script'],
};

/** Where Debian 12 (merged /usr) installs commands people commonly call from vrrp_script. */
const WELL_KNOWN: Record<string, string> = {
  killall: '/usr/bin/killall',
  pidof: '/usr/bin/pidof',
  pgrep: '/usr/bin/pgrep',
  curl: '/usr/bin/curl',
  wget: '/usr/bin/wget',
  nc: '/usr/bin/nc',
  systemctl: '/usr/bin/systemctl',
  test: '/usr/bin/test',
  ping: '/usr/bin/ping',
  timeout: '/usr/bin/timeout',
  bash: '/usr/bin/bash',
  sh: '/usr/bin/sh',
  ss: '/usr/bin/ss',
  grep: '/usr/bin/grep',
  cat: '/usr/bin/cat',
  true: '/usr/bin/true',
  false: '/usr/bin/false',
};

interface ScriptUse {
  st: KaStatement;
  word: KaWord;
  command: string;
  /** Offset of the command inside the word's text range (1 for a quoted word). */
  offset: number;
}

function scriptUses(ctx: RuleContext): ScriptUse[] {
  const out: ScriptUse[] = [];
  for (const st of ctx.doc.statements) {
    const kind = st.parent.kind;
    if (!kind || !SCRIPT_KEYWORDS[kind]?.includes(st.words[0].text)) continue;
    const word = st.words[1];
    if (!word) continue;
    // A quoted script holds the command and its arguments; leading blanks are skipped by keepalived too.
    const lead = word.quoted ? word.text.length - word.text.trimStart().length : 0;
    const command = word.quoted ? (word.text.trim().split(/\s+/)[0] ?? '') : word.text;
    if (!command) continue;
    out.push({ st, word, command, offset: (word.quoted ? 1 : 0) + lead });
  }
  return out;
}

/** Names the script, not the keyword: `vrrp_script chk_haproxy, which runs \`/usr/bin/killall\`` or `\`/etc/keepalived/notify.sh\` (notify_master of vrrp_instance VI_1)`. */
function describeUse(u: ScriptUse): string {
  const header = u.st.parent.header;
  const block = header
    ? header.words
        .slice(0, 2)
        .map((w) => w.text)
        .join(' ')
    : undefined;
  if (u.st.parent.kind === 'vrrp_script' && block) return `${block}, which runs \`${u.command}\``;
  return `\`${u.command}\` (${u.st.words[0].text}${block ? ` of ${block}` : ''})`;
}

/**
 * What in a script line only a shell understands: redirections (`</dev/tcp/…`), pipes, `&&`/`||`/`;`,
 * `$(…)`/backticks, `$VAR`. Words inside a `sh -c '…'` (or bash -c) argument are the shell's, so fine.
 */
export function shellSyntax(text: string): string | undefined {
  if (/^\s*(?:\S*\/)?(?:ba|da|z|k)?sh\s+(?:-\w+\s+)*-c\b/.test(text)) return undefined;
  // Single-quoted parts are arguments, not syntax, once a shell is involved; without one they are literal too.
  const bare = text.replace(/'[^']*'/g, "''");
  if (/(^|\s)<\s*\/dev\/(tcp|udp)\//.test(bare) || /^\s*</.test(bare)) return 'a `<` redirection such as `</dev/tcp/HOST/PORT`';
  if (/\|\|?|&&/.test(bare)) return /\|\|/.test(bare) || /&&/.test(bare) ? '`&&`/`||`' : 'a `|` pipe';
  if (/(^|\s)\d?>>?\s*\S|(^|\s)\d?>&\d/.test(bare)) return 'a `>` redirection';
  if (/;/.test(bare)) return 'a `;` command separator';
  if (/\$\(|`/.test(bare)) return 'a `$(…)` substitution';
  return undefined;
}

export function checkScripts(ctx: RuleContext): void {
  const uses = scriptUses(ctx);
  if (uses.length && !ctx.globals.scriptSecurity) {
    const first = uses[0];
    const g = ctx.globals.blocks[0];
    let fix: Fix;
    if (g?.header && g.open) {
      const indent = g.children[0] ? ' '.repeat(g.children[0].range.start.character) : '    ';
      const at = g.open.end;
      fix = { title: 'Add enable_script_security to global_defs', file: g.file, edits: [{ range: lineRange(at.line, at.character, at.character), newText: `\n${indent}enable_script_security` }] };
    } else {
      fix = { title: 'Add a global_defs block with enable_script_security', file: ctx.doc.file, edits: [{ range: lineRange(0, 0, 0), newText: 'global_defs {\n    enable_script_security\n}\n\n' }] };
    }
    ctx.report(
      'keepalived/script-security',
      first.st.file,
      first.st.words[0].range,
      `${uses.length} script${uses.length > 1 ? 's are' : ' is'} configured (first: ${describeUse(first)}) but global_defs has no enable_script_security; keepalived runs them as root without checking who can change them and reports a SECURITY VIOLATION. Add enable_script_security (and script_user) to global_defs.`,
      {
        related: g?.header ? related(g.header, 'global_defs') : [],
        fixes: [fix],
        variant: uses.some((u) => u.st.parent.kind === 'vrrp_script') ? undefined : 'no-vrrp-script',
      },
    );
  }
  for (const u of uses) {
    if (u.word.expanded) continue;
    const shell = shellSyntax(u.word.text);
    if (shell) {
      ctx.report(
        'keepalived/script-shell-syntax',
        u.st.file,
        u.word.range,
        `${describeUse(u)} uses shell syntax (${shell}), but keepalived runs scripts without a shell: the words are passed to the program as they are, so the check does not do what it says. Wrap it as \`"/bin/sh -c '…'"\` or move it into an executable script file.`,
      );
      continue;
    }
    if (u.command.startsWith('/')) continue;
    const abs = WELL_KNOWN[u.command];
    const start = u.word.range.start.character + u.offset;
    const sameLine = u.word.range.start.line === u.word.range.end.line;
    const range = sameLine ? lineRange(u.word.range.start.line, start, start + u.command.length) : u.word.range;
    ctx.report(
      'keepalived/script-not-absolute',
      u.st.file,
      range,
      `\`${u.command}\` is not an absolute path; keepalived executes scripts directly (no shell) and may fail with "Cannot find script ${u.command} in path". Write the full path${abs ? ` (${abs})` : ''}.`,
      {
        fixes: abs && sameLine ? [{ title: `Use ${abs}`, edits: [{ range, newText: abs }] }] : undefined,
      },
    );
  }
}
