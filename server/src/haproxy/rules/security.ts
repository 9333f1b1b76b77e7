// haproxy/weak-credentials and haproxy/admin-socket-exposed: settings HAProxy accepts silently but that
// hand the load balancer to anyone who can reach it.
import { parseIp, isLoopback } from '../../core/net';
import { lineRange } from '../../core/range';
import { parseAddress } from '../values';
import type { Fix } from '../../core/types';
import type { Resolved, Section, Statement } from '../types';
import { isLive, type RuleContext } from './context';
import { SectionMemo, unlessClean } from './sectionMemo';
import type { Rule } from '../../core/rule';
import { META } from './meta';

/** Passwords found in tutorials and default installs; attackers try these first. */
const WELL_KNOWN = new Set([
  'admin',
  'password',
  'haproxy',
  'haproxy123',
  'stats',
  'changeme',
  'secret',
  'root',
  'test',
  'pass',
  'passw0rd',
  'default',
  'letmein',
  '123456',
  '12345678',
  '1234',
  'qwerty',
  'admin123',
  'password123',
  'toor',
]);

function weak(user: string, pass: string): boolean {
  return pass === '' || pass === user || WELL_KNOWN.has(pass.toLowerCase());
}

/** Sections whose security checks found nothing. */
const clean = new SectionMemo<true>();

export function checkSecurity(ctx: RuleContext): void {
  for (let s = 0, sections = ctx.doc.sections; s < sections.length; s++) {
    const section = sections[s];
    const list = ctx.sectionStatements[s];
    if (list) unlessClean(ctx, clean, section, () => checkSection(ctx, section, list));
  }
}

function checkSection(ctx: RuleContext, section: Section, list: Resolved[]): true {
  for (let itemIndex = 0; itemIndex < list.length; itemIndex++) {
    const r = list[itemIndex];
    if (!isLive(r.st) || !r.name) continue;
    const st = r.st;
    if (r.name === 'stats auth' && st.count > 2 && !st.dynamic(2)) {
      const v = st.value(2)!;
      const colon = v.indexOf(':');
      if (colon > 0 && weak(v.slice(0, colon), v.slice(colon + 1))) {
        ctx.report(
          'haproxy/weak-credentials',
          ctx.wordRange(st, 2),
          `stats auth '${v.slice(0, colon)}' uses a well-known or trivial password; choose a long random one (and restrict who can reach the stats page)`,
        );
      }
    } else if (section.kind === 'userlist' && r.name === 'user') checkUser(ctx, r.st);
    else if (section.kind === 'global' && r.name === 'stats socket') checkSocket(ctx, r.st);
  }
  return true;
}

function checkUser(ctx: RuleContext, st: Statement): void {
  for (let i = 2; i < st.count - 1; i++) {
    if (st.value(i) !== 'insecure-password') continue;
    const user = st.value(1) ?? '';
    const trivial = !st.dynamic(i + 1) && weak(user, st.value(i + 1)!);
    ctx.report(
      'haproxy/weak-credentials',
      lineRange(st.line, st.start(i), st.end(i + 1)),
      trivial
        ? `user '${user}' has a well-known or trivial password stored in clear text; use 'password <crypt hash>' with a strong password`
        : `user '${user}' stores its password in clear text; use 'password <crypt hash>' (e.g. from mkpasswd -m sha-512)`,
    );
  }
}

function checkSocket(ctx: RuleContext, st: Statement): void {
  const addr = st.value(2);
  if (addr === undefined || st.dynamic(2)) return;
  let admin = false;
  for (let i = 3; i < st.count - 1; i++) if (st.value(i) === 'level' && st.value(i + 1) === 'admin') admin = true;
  if (!admin) return;
  const a = parseAddress(addr);
  if (a.socket || !a.hasColon) return;
  const host = a.host;
  if (host === 'localhost') return;
  const ip = parseIp(host);
  if (ip && isLoopback(ip)) return;
  const range = ctx.wordRange(st, 2);
  const fixes: Fix[] = [];
  const loopback = st.plain(2) ? loopbackAddress(addr, a.portText) : undefined;
  if (loopback) fixes.push({ title: `Listen on ${loopback} only (loopback)`, edits: [{ range, newText: loopback }], mechanical: true });
  if (st.plain(2)) fixes.push({ title: 'Use the unix socket /var/run/haproxy-admin.sock instead', edits: [{ range, newText: '/var/run/haproxy-admin.sock' }] });
  ctx.report(
    'haproxy/admin-socket-exposed',
    range,
    `the admin-level stats socket listens on ${host === '' || host === '*' ? 'every interface' : host}: anyone who reaches ${addr} can change servers and drop traffic; bind it to 127.0.0.1 or a unix socket`,
    { fixes },
  );
}

/** The same socket on the loopback address of its family (prefix and port kept), if it has a port. */
function loopbackAddress(addr: string, port: string): string | undefined {
  if (!/^\d+$/.test(port)) return undefined;
  const at = addr.indexOf('@');
  const prefix = at >= 0 ? addr.slice(0, at + 1) : '';
  const body = addr.slice(prefix.length);
  const v6 = prefix === 'ipv6@' || prefix === 'tcp6@' || body.startsWith('[') || body.slice(0, body.lastIndexOf(':')).includes(':');
  if (!v6) return `${prefix}127.0.0.1:${port}`;
  return body.startsWith('[') ? `${prefix}[::1]:${port}` : `${prefix}::1:${port}`;
}

/** One remembered walk per section checks credentials and the stats socket together. */
export const securityRule: Rule<RuleContext> = {
  name: 'haproxy security',
  meta: META['haproxy/weak-credentials'],
  alsoReports: [META['haproxy/admin-socket-exposed']],
  check: checkSecurity,
};
