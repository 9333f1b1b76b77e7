// keepalived/invalid-value, auth-pass-truncated, auth-type-ah, auth-unsupported.
import { parseCidr, parseIp } from '../../core/net';
import { keywordIn } from '../keywords';
import { blocksOf, childBlocks, lastIn, statementsIn, trackEntries } from '../model';
import type { KaBlock, KaStatement, KaWord } from '../types';
import { related, type RuleContext } from './context';
import { plural } from '../../core/plural';
import type { Fix } from '../../core/types';
import { compareVersions } from '../../core/schema';

const CODE = 'keepalived/invalid-value';

/** keepalived's inet_stosockaddr() drops anything from the first `/` or `-`, so `10.0.0.1/24` is accepted there. */
function sockaddrIp(text: string) {
  const cut = text.search(/[-/]/);
  return parseIp(cut >= 0 ? text.slice(0, cut) : text);
}
const INT = /^[-+]?\d+$/;

function bad(ctx: RuleContext, st: KaStatement, word: KaWord, message: string): void {
  const cut = st.cutWord && word === st.words[st.words.length - 1] ? ' (an unquoted `!` or `#` right after it starts a comment and cuts the value there)' : '';
  ctx.report(CODE, st.file, word.range, message + cut);
}

function checkInt(ctx: RuleContext, st: KaStatement, min: number, max: number, what: string, consequence: string): void {
  const w = st.words[1];
  if (!w) {
    ctx.report(CODE, st.file, st.words[0].range, `\`${st.words[0].text}\` needs a value between ${min} and ${max}.`);
    return;
  }
  if (!INT.test(w.text) || Number(w.text) < min || Number(w.text) > max) {
    bad(ctx, st, w, `${what} \`${w.text}\` is not an integer in ${min}..${max}; ${consequence}`);
  }
}

const VIP_PARAM_OPTIONS = new Set(['dev', 'scope', 'brd', 'broadcast', 'label', 'peer', 'preferred_lft']);
const VIP_FLAGS = new Set(['home', '-nodad', 'mngtmpaddr', 'noprefixroute', 'autojoin', 'no_track']);
const SCOPES = new Set(['site', 'link', 'host', 'nowhere', 'global']);

/** One line of virtual_ipaddress / virtual_ipaddress_excluded / static_ipaddress. Returns the address family. */
function checkAddressLine(ctx: RuleContext, st: KaStatement, isStatic: boolean): 4 | 6 | undefined {
  const a = st.words[0];
  const cidr = parseCidr(a.text);
  if (!cidr) {
    bad(ctx, st, a, `\`${a.text}\` is not an IPv4 or IPv6 address (with an optional /prefix); keepalived skips this address. Write e.g. \`192.168.1.10/24 dev eth0\`.`);
    return undefined;
  }
  for (let i = 1; i < st.words.length; i++) {
    const w = st.words[i];
    if (VIP_PARAM_OPTIONS.has(w.text)) {
      const v = st.words[i + 1];
      if (!v) {
        bad(ctx, st, w, `\`${w.text}\` needs a value after it; keepalived skips this address.`);
        break;
      }
      if (w.text === 'scope' && !SCOPES.has(v.text) && !INT.test(v.text)) {
        bad(ctx, st, v, `scope \`${v.text}\` is not one of site, link, host, nowhere, global (or a number).`);
      }
      if (w.text === 'peer' && !parseCidr(v.text)) bad(ctx, st, v, `peer \`${v.text}\` is not an IP address.`);
      i++;
      continue;
    }
    if (VIP_FLAGS.has(w.text)) continue;
    if (w.text === 'track_group' && isStatic) {
      i++;
      continue;
    }
    if (w.text === 'use_vmac' && !isStatic) {
      // An optional VMAC interface name may follow.
      if (st.words[i + 1] && !VIP_PARAM_OPTIONS.has(st.words[i + 1].text) && !VIP_FLAGS.has(st.words[i + 1].text)) i++;
      continue;
    }
    bad(
      ctx,
      st,
      w,
      `unknown address option \`${w.text}\`; keepalived ignores it. Options are dev, scope, brd, label, peer, preferred_lft, home, -nodad, mngtmpaddr, noprefixroute, autojoin, no_track${isStatic ? ', track_group' : ', use_vmac'}.`,
    );
  }
  return cidr.ip.family;
}

function checkInstance(ctx: RuleContext, inst: KaBlock): void {
  const s = (kw: string) => lastIn(inst, kw);
  for (const st of statementsIn(inst, 'virtual_router_id')) checkInt(ctx, st, 1, 255, 'virtual_router_id', 'keepalived rejects it and the instance does not run.');
  for (const st of statementsIn(inst, 'priority')) checkInt(ctx, st, 1, 255, 'priority', 'keepalived replaces it with 100, which can make this node win or lose elections unexpectedly.');
  for (const st of statementsIn(inst, 'state')) {
    const w = st.words[1];
    if (w && w.text !== 'MASTER' && w.text !== 'BACKUP') {
      bad(ctx, st, w, `state \`${w.text}\` is not MASTER or BACKUP (upper case); keepalived falls back to BACKUP.`);
    }
  }
  for (const st of statementsIn(inst, 'advert_int')) {
    const w = st.words[1];
    if (!w) continue;
    const v = Number(w.text);
    if (!/^\d+(\.\d+)?$/.test(w.text) || v < 0.01 || v > 255) {
      bad(ctx, st, w, `advert_int \`${w.text}\` must be a number of seconds between 0.01 and 255; keepalived ignores it and uses 1.`);
    }
  }
  for (const kw of ['unicast_src_ip', 'mcast_src_ip']) {
    for (const st of statementsIn(inst, kw)) {
      const w = st.words[1];
      if (w && !sockaddrIp(w.text)) bad(ctx, st, w, `${kw} \`${w.text}\` is not an IP address; keepalived skips it.`);
    }
  }
  let family: 4 | 6 | undefined;
  let familyFrom: KaStatement | undefined;
  for (const b of childBlocks(inst, 'virtual_ipaddress')) {
    for (const line of b.children) {
      const f = checkAddressLine(ctx, line, false);
      if (f === undefined) continue;
      if (family === undefined) {
        family = f;
        familyFrom = line;
      } else if (f !== family) {
        ctx.report(
          CODE,
          line.file,
          line.words[0].range,
          `\`${line.words[0].text}\` is IPv${f} but this instance is IPv${family} (from its first address); keepalived ignores it. Put IPv${f} addresses in virtual_ipaddress_excluded or another instance.`,
          {
            related: related(familyFrom, 'first address sets the family'),
          },
        );
      }
    }
  }
  for (const b of childBlocks(inst, 'virtual_ipaddress_excluded')) for (const line of b.children) checkAddressLine(ctx, line, false);
  checkDuplicateVips(ctx, inst);
  const src = s('unicast_src_ip')?.words[1];
  const srcFamily = src ? sockaddrIp(src.text)?.family : undefined;
  const peerFamily = srcFamily ?? family;
  for (const b of childBlocks(inst, 'unicast_peer')) {
    for (const line of b.children) {
      const a = line.words[0];
      const ip = sockaddrIp(a.text);
      if (!ip) {
        bad(ctx, line, a, `unicast peer \`${a.text}\` is not an IP address; keepalived skips it.`);
        continue;
      }
      if (peerFamily !== undefined && ip.family !== peerFamily) {
        bad(ctx, line, a, `unicast peer \`${a.text}\` is IPv${ip.family} but the instance uses IPv${peerFamily}; keepalived skips it.`);
      }
      for (let i = 1; i < line.words.length; i++) {
        const w = line.words[i];
        if ((w.text === 'min_ttl' || w.text === 'max_ttl') && line.words[i + 1]) {
          const v = line.words[++i];
          if (!INT.test(v.text) || Number(v.text) < 0 || Number(v.text) > 255) bad(ctx, line, v, `${w.text} \`${v.text}\` must be 0..255.`);
        } else bad(ctx, line, w, `unknown unicast_peer option \`${w.text}\`; only min_ttl and max_ttl may follow the address.`);
      }
    }
  }
  for (const e of trackEntries(inst)) {
    if (!e.weight) continue;
    const lim = e.kind === 'process' || e.kind === 'file' ? 254 : 253;
    if (Math.abs(e.weight.value) > lim) {
      bad(
        ctx,
        e.statement,
        e.weight.word,
        `weight \`${e.weight.word.text}\` for ${e.name.text} is outside -${lim}..${lim}; keepalived ${lim === 253 && Math.abs(e.weight.value) === 254 ? 'clamps it to ±253' : 'ignores the entry'}.`,
      );
    }
  }
}

/**
 * The same address twice among one instance's VIPs (virtual_ipaddress and virtual_ipaddress_excluded, any
 * prefix or device): keepalived 2.3 drops the second ("VIP duplicates a VIP … ignoring") and `keepalived -t`
 * exits non-zero; 2.2.7 accepts it silently (measured, docs/parity.md). So an error from 2.3 on (and when no
 * version is set, which means the newest, as for the keywords 2.3 added), a warning for 2.2.
 */
function checkDuplicateVips(ctx: RuleContext, inst: KaBlock): void {
  const seen = new Map<string, KaStatement>();
  const refused = ctx.version === undefined || compareVersions(ctx.version, '2.3') >= 0;
  for (const kind of ['virtual_ipaddress', 'virtual_ipaddress_excluded']) {
    for (const b of childBlocks(inst, kind)) {
      for (const line of b.children) {
        const w = line.words[0];
        const cidr = w && parseCidr(w.text);
        if (!cidr) continue;
        const key = `${cidr.ip.family}:${cidr.ip.value}`;
        const first = seen.get(key);
        if (!first) {
          seen.set(key, line);
          continue;
        }
        const verdict = refused
          ? `keepalived ${ctx.version ?? '2.3'} ignores this one and \`keepalived -t\` fails${ctx.versionFromHosts ? ` (${ctx.versionNote})` : ''}`
          : 'keepalived 2.2 accepts it silently, 2.3 ignores the second one and `keepalived -t` fails';
        ctx.report(CODE, line.file, w.range, `${cidr.ip.text} is already a VIP of this instance; ${verdict}. Remove one of them.`, {
          related: related(first, 'first time'),
          ...(refused ? {} : { variant: 'duplicate-vip-before-2.3' }),
        });
      }
    }
  }
}

function checkAuth(ctx: RuleContext, inst: KaBlock): void {
  for (const auth of childBlocks(inst, 'authentication')) {
    for (const st of statementsIn(auth, 'auth_type')) {
      const w = st.words[1];
      if (!w) continue;
      if (w.text !== 'PASS' && w.text !== 'AH') {
        bad(ctx, st, w, `auth_type \`${w.text}\` is not PASS or AH (upper case); keepalived ignores the authentication settings.`);
      } else if (w.text === 'AH') {
        const state = lastIn(inst, 'state');
        const master = state?.words[1]?.text === 'MASTER';
        ctx.report(
          'keepalived/auth-type-ah',
          st.file,
          w.range,
          master
            ? 'auth_type AH cannot be used with `state MASTER`: keepalived clears the MASTER state ("incompatible with AH authentication") and `keepalived -t` fails. Use PASS (or no authentication), or start the instance as BACKUP.'
            : 'auth_type AH (IPsec AH) is not part of current VRRP and breaks across network segments and with other implementations; use PASS, or drop authentication and restrict the VRRP traffic instead.',
          {
            ...(master ? { variant: 'master' } : {}),
            related: master ? related(state, 'initial state MASTER') : [],
          },
        );
      }
    }
    for (const st of statementsIn(auth, 'auth_pass')) {
      const w = st.words[1];
      if (!w) continue;
      if (st.cutWord && w === st.words[st.words.length - 1]) {
        ctx.report(
          'keepalived/auth-pass-truncated',
          st.file,
          w.range,
          `auth_pass is cut at an unquoted \`!\` or \`#\` (a comment starts there), so keepalived uses only the ${plural(Math.min(w.text.length, 8), 'character')} before it; quote the password or avoid those characters.`,
        );
      } else if (w.text.length > 8) {
        ctx.report(
          'keepalived/auth-pass-truncated',
          st.file,
          w.range,
          `auth_pass is ${w.text.length} characters; keepalived uses only the first 8 ("Truncating auth_pass") and \`keepalived -t\` fails. Shorten it so every node visibly uses the same password.`,
          { variant: 'too-long', fixes: cutAuthPass(w) },
        );
      }
    }
    const ownVersion = lastIn(inst, 'version');
    const v3 = ownVersion ? ownVersion.words[1]?.text === '3' : ctx.globals.version?.words[1]?.text === '3';
    const why = v3 ? (ownVersion ?? ctx.globals.version) : ctx.globals.strict;
    if (auth.header && (v3 || ctx.globals.strict)) {
      ctx.report(
        'keepalived/auth-unsupported',
        auth.header.file,
        auth.header.words[0].range,
        `keepalived ignores authentication ${v3 ? 'with VRRP version 3' : 'in vrrp_strict mode'}; remove the authentication block (or ${v3 ? 'use version 2' : 'drop vrrp_strict'}).`,
        {
          related: related(why, v3 ? 'VRRP version 3 set here' : 'vrrp_strict set here'),
        },
      );
    }
  }
}

function checkScriptDefs(ctx: RuleContext): void {
  for (const b of blocksOf(ctx.doc, 'vrrp_script')) {
    for (const st of statementsIn(b, 'weight')) checkInt(ctx, st, -253, 253, 'vrrp_script weight', 'keepalived rejects it.');
  }
  for (const b of blocksOf(ctx.doc, 'vrrp_track_process')) {
    for (const st of statementsIn(b, 'weight')) checkInt(ctx, st, -254, 254, 'vrrp_track_process weight', 'keepalived rejects it.');
  }
}

/** bool / enum / ranged int arguments from the schema, for keywords the specific checks above leave alone. */
/** Enum keywords keepalived compares without regard to case (checked with the 2.2.7 binary). */
const CASE_INSENSITIVE = new Set(['protocol']);
const SPECIFIC = new Set(['virtual_router_id', 'priority', 'state', 'advert_int', 'weight', 'auth_type']);

function checkSchemaArgs(ctx: RuleContext): void {
  for (const st of ctx.doc.statements) {
    const kind = st.parent.kind;
    if (!kind || st.parent.value || SPECIFIC.has(st.words[0].text)) continue;
    const spec = keywordIn(kind, st.words[0].text);
    const a = spec?.args?.[0];
    const w = st.words[1];
    if (!a || !w || w.expanded) continue;
    if (a.type === 'bool' && !['on', 'off', 'true', 'false', 'yes', 'no'].includes(w.text)) {
      bad(ctx, st, w, `\`${st.words[0].text}\` takes on/off, true/false or yes/no (lower case), not \`${w.text}\`.`);
    } else if (a.type === 'enum' && a.values && !a.values.includes(CASE_INSENSITIVE.has(st.words[0].text) ? w.text.toUpperCase() : w.text)) {
      bad(ctx, st, w, `\`${st.words[0].text}\` takes ${a.values.join(', ')}, not \`${w.text}\`.`);
    } else if (a.type === 'int' && (a.min !== undefined || a.max !== undefined)) {
      const v = Number(w.text);
      if (!INT.test(w.text) || (a.min !== undefined && v < a.min) || (a.max !== undefined && v > a.max)) {
        bad(ctx, st, w, `\`${st.words[0].text}\` takes an integer${a.min !== undefined ? ` ≥ ${a.min}` : ''}${a.max !== undefined ? ` ≤ ${a.max}` : ''}, not \`${w.text}\`.`);
      }
    }
  }
}

/** Global gratuitous ARP / NA intervals: keepalived reads seconds in [0.000001, 4294.967295] and rejects 0. */
function checkGarpIntervals(ctx: RuleContext): void {
  for (const g of ctx.globals.blocks) {
    for (const kw of ['vrrp_garp_interval', 'vrrp_gna_interval']) {
      for (const st of statementsIn(g, kw)) {
        const w = st.words[1];
        if (!w || w.expanded) continue;
        const v = Number(w.text);
        if (!/^\d+(\.\d+)?$/.test(w.text) || v < 0.000001 || v > 4294.967295) {
          bad(
            ctx,
            st,
            w,
            `${kw} \`${w.text}\` must be a number of seconds between 0.000001 and 4294.967295; keepalived rejects it ("${kw} '${w.text}' is invalid") and \`keepalived -t\` fails. Remove the line to send no delay between gratuitous messages.`,
          );
        }
      }
    }
  }
}

export function checkValues(ctx: RuleContext): void {
  checkGarpIntervals(ctx);
  for (const inst of blocksOf(ctx.doc, 'vrrp_instance')) {
    checkInstance(ctx, inst);
    checkAuth(ctx, inst);
  }
  for (const kind of ['static_ipaddress']) for (const b of blocksOf(ctx.doc, kind)) for (const line of b.children) checkAddressLine(ctx, line, true);
  checkScriptDefs(ctx);
  checkSchemaArgs(ctx);
}

/**
 * auth_pass cut to the 8 characters keepalived uses: what this node sends does not change, but every peer
 * must be cut the same way (the title says so; cluster/auth-mismatch aligns a peer that differs).
 */
function cutAuthPass(w: KaWord): Fix[] {
  if (w.expanded) return [];
  const kept = w.text.slice(0, 8);
  const word = /^[^\s!#"'\\{}]+$/.test(kept) ? kept : /^[^"\\]+$/.test(kept) ? `"${kept}"` : undefined;
  if (word === undefined) return [];
  return [
    { title: 'Cut auth_pass to the 8 characters keepalived uses (cut it the same way on every peer, or VRRP authentication fails)', edits: [{ range: w.range, newText: word }], mechanical: true },
  ];
}
