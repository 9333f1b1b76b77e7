// Input generators for the property tests: grammar-driven configs that the daemons would accept, and
// mutations that break them in the ways real files break (lost braces and quotes, binary junk, huge
// words, deep nesting, NUL bytes, invalid UTF-8, CRLF, astral characters that take two UTF-16 units).
import fc from 'fast-check';
import type { Language } from '../../server/src/core/types';

const name = fc.stringMatching(/^[a-z][a-z0-9_-]{0,11}$/);
const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
const port = fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom(80, 443, 6443, 30080, 8404));
const duration = fc.tuple(fc.integer({ min: 1, max: 600 }), fc.constantFrom('', 'ms', 's', 'm')).map(([n, u]) => `${n}${u}`);

function lines(parts: fc.Arbitrary<string>[], indent: string): fc.Arbitrary<string> {
  return fc.array(fc.oneof(...parts), { minLength: 0, maxLength: 8 }).map((ls) => ls.map((l) => `${indent}${l}`).join('\n'));
}

// ---------------------------------------------------------------- HAProxy

const haproxyGlobal = lines(
  [
    fc.constant('log /dev/log local0'),
    fc.integer({ min: 1, max: 100000 }).map((n) => `maxconn ${n}`),
    fc.constant('daemon'),
    fc.constant('stats socket /run/haproxy/admin.sock mode 660 level admin'),
    fc.integer({ min: 1, max: 64 }).map((n) => `nbthread ${n}`),
  ],
  '    ',
);

const haproxyCommonLine: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('mode http', 'option httplog', 'option forwardfor'),
  fc.tuple(fc.constantFrom('connect', 'client', 'server'), duration).map(([k, d]) => `timeout ${k} ${d}`),
  fc.constant('http-request set-header X-Forwarded-Proto https'),
  fc.constant('http-request deny if { src 10.0.0.0/8 }'),
  name.map((a) => `acl ${a} path_beg /api`),
  fc.constant('# a comment'),
);

/** Lines for a frontend or listen section: listeners and backend switching. */
const haproxyFrontendLine = (backends: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    haproxyCommonLine,
    fc.tuple(fc.option(ipv4, { nil: '' }), port).map(([a, p]) => `bind ${a}:${p}`),
    fc.constantFrom(...backends).map((b) => `default_backend ${b}`),
    fc.tuple(name, fc.constantFrom(...backends)).map(([a, b]) => `use_backend ${b} if { path_beg /${a} }`),
    fc.constant('stats uri "/haproxy stats"'),
    fc.constant("http-request return status 200 content-type text/plain string 'ok' if { path /ping }"),
  );

/** Lines for a backend section: servers and balancing. */
const haproxyBackendLine: fc.Arbitrary<string> = fc.oneof(
  haproxyCommonLine,
  fc.constantFrom('balance roundrobin', 'balance leastconn'),
  fc.tuple(name, ipv4, port, fc.constantFrom('', ' check', ' check inter 2s fall 3 rise 2', ' backup')).map(([n, a, p, o]) => `server ${n} ${a}:${p}${o}`),
);

/** What an anonymous defaults section may hold (no acl, http-request or backend switching there). */
const haproxyDefaultsLine: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('mode http', 'mode tcp', 'option httplog', 'option dontlognull', 'balance roundrobin', 'retries 3', 'log global'),
  fc.tuple(fc.constantFrom('connect', 'client', 'server', 'check'), duration).map(([k, d]) => `timeout ${k} ${d}`),
);

export const haproxyConfig: fc.Arbitrary<string> = fc
  .uniqueArray(name, { minLength: 1, maxLength: 4 })
  .chain((backends) =>
    fc.tuple(
      haproxyGlobal,
      lines([haproxyDefaultsLine], '    '),
      // At least one proxy that listens: haproxy -c refuses a configuration without a listener.
      fc.array(fc.tuple(fc.constantFrom('frontend', 'listen'), name, fc.tuple(port, lines([haproxyFrontendLine(backends)], '    '))), { minLength: 1, maxLength: 3 }),
      fc.tuple(...backends.map((b) => lines([haproxyBackendLine], '    ').map((body) => `backend ${b}\n${body}`))),
      fc.boolean(),
    ),
  )
  .map(([g, d, fronts, backs, cond]) => {
    const parts = [`global\n${g}`, `defaults\n${d}`, ...fronts.map(([k, n, [p, body]]) => `${k} ${n}\n    bind :${p}\n${body}`), ...backs];
    if (cond) parts.push('.if defined(HAPROXY_LOCALPEER)\n.notice "peer set"\n.endif');
    return `${parts.join('\n\n')}\n`;
  });

// ---------------------------------------------------------------- keepalived

const kaInstance = fc
  .tuple(
    name,
    fc.constantFrom('MASTER', 'BACKUP'),
    fc.constantFrom('eth0', 'ens3', 'bond0.10'),
    fc.integer({ min: 1, max: 255 }),
    fc.integer({ min: 1, max: 254 }),
    fc.array(ipv4, { minLength: 1, maxLength: 3 }),
    fc.option(fc.stringMatching(/^[a-zA-Z0-9]{1,8}$/), { nil: undefined }),
    fc.array(ipv4, { maxLength: 2 }),
    fc.boolean(),
  )
  .map(([n, state, iface, vrid, prio, vips, pass, peers, track]) => {
    const body = [
      `state ${state}`,
      `interface ${iface}`,
      `virtual_router_id ${vrid}`,
      `priority ${prio}`,
      'advert_int 1',
      ...(pass ? ['authentication {', '    auth_type PASS', `    auth_pass ${pass}`, '}'] : []),
      ...(peers.length ? ['unicast_peer {', ...peers.map((p) => `    ${p}`), '}'] : []),
      'virtual_ipaddress {',
      ...vips.map((v) => `    ${v}/24 dev ${iface}`),
      '}',
      ...(track ? ['track_script {', '    chk_haproxy', '}'] : []),
    ];
    return `vrrp_instance VI_${n} {\n${body.map((l) => `    ${l}`).join('\n')}\n}`;
  });

export const keepalivedConfig: fc.Arbitrary<string> = fc
  .tuple(name, fc.array(kaInstance, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.constantFrom('!', '#'))
  .map(([router, instances, oneLine, comment]) => {
    const script = oneLine
      ? 'vrrp_script chk_haproxy { script "/usr/bin/killall -0 haproxy" interval 2 weight -20 }'
      : 'vrrp_script chk_haproxy {\n    script "/usr/bin/killall -0 haproxy"\n    interval 2\n    weight -20\n}';
    return `${comment} Configuration File for keepalived\nglobal_defs {\n    router_id ${router}\n    script_user root\n    enable_script_security\n}\n${script}\n${instances.join('\n')}\n`;
  });

// ---------------------------------------------------------------- corosync

export const corosyncConfig: fc.Arbitrary<string> = fc
  .tuple(name, fc.uniqueArray(ipv4, { minLength: 1, maxLength: 5 }), fc.constantFrom('knet', 'udpu'), fc.boolean(), fc.boolean())
  .map(([cluster, addrs, transport, crypto, logging]) => {
    const totem = [`version: 2`, `cluster_name: ${cluster}`, `transport: ${transport}`];
    if (crypto && transport === 'knet') totem.push('crypto_cipher: aes256', 'crypto_hash: sha256');
    const nodes = addrs.map((a, i) => `    node {\n        name: n${i + 1}\n        ring0_addr: ${a}\n        nodeid: ${i + 1}\n    }`);
    const quorum = ['provider: corosync_votequorum', ...(addrs.length === 2 ? ['two_node: 1'] : [])];
    const parts = [`totem {\n${totem.map((l) => `    ${l}`).join('\n')}\n}`, `nodelist {\n${nodes.join('\n')}\n}`, `quorum {\n${quorum.map((l) => `    ${l}`).join('\n')}\n}`];
    if (logging) parts.push('logging {\n    to_syslog: yes\n    logger_subsys {\n        subsys: QUORUM\n        debug: off\n    }\n}');
    return `# corosync\n${parts.join('\n\n')}\n`;
  });

export const validConfig: Record<Language, fc.Arbitrary<string>> = {
  haproxy: haproxyConfig,
  keepalived: keepalivedConfig,
  corosync: corosyncConfig,
};

// ---------------------------------------------------------------- mutations

/** Bytes that are not valid UTF-8, decoded the way the engine decodes files (U+FFFD). */
const invalidUtf8 = fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => Buffer.from([0xc3, ...b, 0xff, 0xfe]).toString('utf8'));

const junk: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '{',
    '}',
    '"',
    "'",
    '\\',
    '#',
    '!',
    '$',
    '${',
    ':',
    '\t',
    '\r',
    '\r\n',
    '\n',
    '\u0000',
    '\uFEFF',
    '😀',
    '\uD800',
    'é',
    '.if',
    '.endif',
    '~SEQ(i,1,1,3)',
    '$X=1',
    '@node1 ',
    'include ',
  ),
  fc.string({ maxLength: 20, unit: 'binary' }),
  invalidUtf8,
  fc.integer({ min: 1000, max: 70000 }).map((n) => 'w'.repeat(n)),
  fc.integer({ min: 1, max: 300 }).map((n) => 'x {\n'.repeat(n)),
  fc.integer({ min: 1, max: 300 }).map((n) => '}\n'.repeat(n)),
  fc.integer({ min: 60, max: 200 }).map((n) => Array.from({ length: n }, (_, i) => `a${i}`).join(' ')),
);

type Mutation = (text: string) => string;

const at = (text: string, r: number): number => Math.floor(r * (text.length + 1));

/** A uniform fraction in [0, 1]. fast-check's doubles crowd near 0 (and the extremes), so positions drawn
 * from them would edit mostly the first characters of a text. */
export const fraction: fc.Arbitrary<number> = fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 1_000_000);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fraction, junk).map(
    ([r, j]) =>
      (t: string) =>
        t.slice(0, at(t, r)) + j + t.slice(at(t, r)),
  ),
  fc.tuple(fc.constantFrom('{', '}', '"', '\n', ':', ' '), fraction).map(([c, r]) => (t: string) => {
    // Delete one occurrence of a structural character.
    const idx: number[] = [];
    for (let i = t.indexOf(c); i >= 0 && idx.length < 2000; i = t.indexOf(c, i + 1)) idx.push(i);
    if (!idx.length) return t;
    const i = idx[Math.floor(r * idx.length) % idx.length];
    return t.slice(0, i) + t.slice(i + 1);
  }),
  fc.tuple(fraction, fraction).map(([a, b]) => (t: string) => {
    const [s, e] = [at(t, Math.min(a, b)), at(t, Math.max(a, b))];
    return t.slice(0, s) + t.slice(e);
  }),
  fraction.map((r) => (t: string) => t.slice(0, at(t, r))),
  fc.constant((t: string) => t.replace(/\n/g, '\r\n')),
  fc.constant((t: string) => t.replace(/ {4}/g, '\t')),
  fraction.map((r) => (t: string) => {
    const ls = t.split('\n');
    const i = Math.floor(r * ls.length) % ls.length;
    ls.splice(i, 0, ls[i]);
    return ls.join('\n');
  }),
);

/** A valid config with zero to four mutations applied. */
export function mutatedConfig(language: Language): fc.Arbitrary<string> {
  return fc.tuple(validConfig[language], fc.array(mutation, { maxLength: 4 })).map(([t, ms]) => ms.reduce((acc, m) => m(acc), t));
}

/** Anything at all: mutated configs, other languages' configs, raw junk. */
export function anyInput(language: Language): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: mutatedConfig(language) },
    { weight: 1, arbitrary: validConfig[language] },
    { weight: 1, arbitrary: mutatedConfig(language === 'haproxy' ? 'keepalived' : 'haproxy') },
    { weight: 1, arbitrary: fc.array(junk, { maxLength: 12 }).map((js) => js.join('')) },
    { weight: 1, arbitrary: fc.string({ maxLength: 400, unit: 'grapheme' }) },
  );
}

/** A random edit of a text: replace [start, end) with new text, as an editor would send it. */
export interface TextChange {
  start: number;
  end: number;
  text: string;
}

export const textChange: fc.Arbitrary<{ a: number; b: number; text: string }> = fc.record({
  a: fraction,
  b: fraction,
  text: fc.oneof(junk, fc.constantFrom('', ' ', '\n', 'server x 1.2.3.4:80\n', 'priority 300\n', 'nodeid: 3\n', 'virtual_router_id 0\n')),
});

export function applyChange(text: string, c: { a: number; b: number; text: string }): string {
  const s = at(text, Math.min(c.a, c.b));
  const e = at(text, Math.max(c.a, c.b));
  return text.slice(0, s) + c.text + text.slice(Math.min(e, text.length));
}
