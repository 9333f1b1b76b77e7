import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkArg } from '../../server/src/haproxy/values';
import { widenEnum } from '../../scripts/gen-haproxy-schema';
import {
  KNOWN_VERSIONS,
  enumAccepts,
  enumValuesIn,
  getSchema,
  keywordNames,
  matchAll,
  matchAnywhere,
  matchKeyword,
  matchOption,
  optionNames,
  sectionInfo,
  sectionNames,
} from '../../server/src/haproxy/keywords';

const V = '2.6';

/** Registered by haproxy 2.6.12 but absent from the 2.6 manual's keyword lists; why each is left out. */
const EXCLUDED: Record<string, string> = {
  'global tune.vars.check-max-size': 'undocumented in the 2.6 manual (only the other tune.vars.* are listed)',
  'server no-check-send-proxy': 'undocumented negation of check-send-proxy',
  'server usesrc': 'documented inside the `source` option, only valid right after it',
};

interface Registered {
  kind: 'global' | 'proxy' | 'bind' | 'server';
  name: string;
}

function registeredKeywords(): Registered[] {
  const r = spawnSync('haproxy', ['-dKcfg', '-q', '-c', '-f', '/dev/null'], { encoding: 'utf8' });
  if (r.error) assert.fail(`the real haproxy binary is required for this test: ${r.error.message}`);
  assert.match(r.stdout, /List of registered configuration keywords/, 'haproxy -dKcfg printed no keyword list');
  const out: Registered[] = [];
  let block = '';
  for (const line of r.stdout.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    if (!line.startsWith('\t')) {
      block = line.trim();
      continue;
    }
    const l = line.trim();
    let m: RegExpExecArray | null;
    if ((m = /^bind <addr> (?:ssl )?(\S+)/.exec(l))) out.push({ kind: 'bind', name: m[1] });
    else if ((m = /^server <name> <addr> (\S+)/.exec(l))) out.push({ kind: 'server', name: m[1] });
    else if ((m = /^option (\S+)/.exec(l))) out.push({ kind: 'proxy', name: `option ${m[1]}` });
    // Rule actions (http-request deny, …) are arguments of one keyword, not keywords.
    else if (/^(tcp|http)-(request|response|after-response) /.test(l)) continue;
    else if (block === 'global') out.push({ kind: 'global', name: l });
    else if (block === 'listen') out.push({ kind: 'proxy', name: l });
  }
  return out;
}

test('every keyword haproxy 2.6 registers for global/proxy/bind/server is known at 2.6', (t) => {
  const reg = registeredKeywords();
  const counts: Record<string, number> = {};
  const unknown: string[] = [];
  for (const { kind, name } of reg) {
    counts[kind] = (counts[kind] ?? 0) + 1;
    if (EXCLUDED[`${kind} ${name}`]) continue;
    const section = kind === 'proxy' ? 'listen' : kind;
    const words = name.split(' ');
    const m = kind === 'bind' || kind === 'server' ? matchOption(kind, name, V) : matchKeyword(section, words, V);
    if (m) {
      // clitimeout & co. stay registered only to print their removal message.
      if (m.status === 'not-yet') unknown.push(`${kind} ${name}: not-yet`);
      continue;
    }
    // A registered first word such as `timeout` or `stats` heads a family of multi-word keywords.
    if (keywordNames(section, V).some((n) => n.startsWith(`${name} `))) continue;
    unknown.push(`${kind} ${name}`);
  }
  t.diagnostic(`registered by haproxy 2.6: ${JSON.stringify(counts)}; excluded ${Object.keys(EXCLUDED).length}`);
  t.diagnostic(
    `known at 2.6: global ${keywordNames('global', V).length}, frontend ${keywordNames('frontend', V).length}, ` +
      `backend ${keywordNames('backend', V).length}, bind ${optionNames('bind', V).length}, server ${optionNames('server', V).length}`,
  );
  assert.ok(counts.global > 50 && counts.proxy > 40 && counts.bind > 40 && counts.server > 80, JSON.stringify(counts));
  assert.deepEqual(unknown, []);
});

test('keywords the manual documents but the binary registers as built-ins are known too', () => {
  for (const [section, words] of [
    ['global', ['daemon']],
    ['global', ['maxconn']],
    ['frontend', ['mode']],
    ['backend', ['balance']],
    ['backend', ['server']],
    ['frontend', ['bind']],
    ['frontend', ['default_backend']],
  ] as const) {
    assert.equal(matchKeyword(section, [...words], V)?.status, 'ok', `${section} ${words.join(' ')}`);
  }
});

test('removed header-rewriting keywords carry their removal version and replacement', () => {
  const expected: Record<string, string> = {
    reqadd: 'http-request add-header',
    reqdel: 'http-request del-header',
    reqidel: 'http-request del-header',
    reqrep: 'http-request replace-header',
    reqirep: 'http-request replace-header',
    reqdeny: 'http-request deny',
    reqideny: 'http-request deny',
    reqallow: 'http-request allow',
    reqiallow: 'http-request allow',
    reqpass: 'http-request allow',
    reqipass: 'http-request allow',
    reqtarpit: 'http-request tarpit',
    reqitarpit: 'http-request tarpit',
    rspadd: 'http-response add-header',
    rspdel: 'http-response del-header',
    rspidel: 'http-response del-header',
    rsprep: 'http-response replace-header',
    rspirep: 'http-response replace-header',
    rspdeny: 'http-response deny',
    rspideny: 'http-response deny',
    block: 'http-request deny',
    contimeout: 'timeout connect',
    clitimeout: 'timeout client',
    srvtimeout: 'timeout server',
  };
  for (const [name, repl] of Object.entries(expected)) {
    const m = matchAnywhere([name, 'X-Foo', 'bar'], V);
    assert.ok(m, name);
    assert.equal(m.words, 1, name);
    assert.equal(m.status, 'removed', name);
    assert.equal(m.spec.removed, '2.1', name);
    assert.equal(m.spec.replacement, repl, name);
    assert.equal(matchAnywhere([name], '2.0')?.status, 'deprecated', name);
  }
  // In a frontend the lookup is section-aware too.
  assert.equal(matchKeyword('frontend', ['reqadd', 'X-A:\\ b'], V)?.status, 'removed');
  assert.equal(matchKeyword('frontend', ['reqadd'], '1.8')?.status, 'ok');
});

test('nbproc is removed at 2.6 (replacement nbthread) but fine at 2.4', () => {
  const at26 = matchKeyword('global', ['nbproc', '4'], '2.6');
  assert.equal(at26?.status, 'removed');
  assert.equal(at26?.spec.replacement, 'nbthread');
  assert.equal(matchKeyword('global', ['nbproc', '4'], '2.4')?.status, 'deprecated');
  assert.equal(matchKeyword('global', ['nbproc'], '2.2')?.status, 'ok');
  assert.ok(!keywordNames('global', '2.6').includes('nbproc'));
  assert.ok(keywordNames('global', '2.4').includes('nbproc'));
});

test('keywords added after 2.6 are not-yet at 2.6 and ok at 3.2', () => {
  for (const [section, words, added] of [
    ['backend', ['option', 'forwarded'], '2.8'],
    ['frontend', ['timeout', 'client-hs'], '2.9'],
    ['global', ['quick-exit'], '2.7'],
  ] as const) {
    const m = matchKeyword(section, [...words], V);
    assert.equal(m?.status, 'not-yet', words.join(' '));
    assert.equal(m?.spec.added, added, words.join(' '));
    assert.equal(matchKeyword(section, [...words], '3.2')?.status, 'ok', words.join(' '));
  }
  assert.ok(!sectionNames(V).includes('crt-store'));
  assert.ok(sectionNames('3.2').includes('crt-store'));
  assert.equal(sectionInfo('traces')?.added, '3.1');
});

test('multi-word keywords: longest match wins and reports its word count', () => {
  const m = matchKeyword('frontend', ['option', 'httplog', 'clf'], V);
  assert.equal(m?.spec.name, 'option httplog');
  assert.equal(m?.words, 2);
  assert.equal(matchKeyword('backend', ['timeout', 'connect', '5s'], V)?.words, 2);
  assert.equal(matchKeyword('frontend', ['capture', 'request', 'header', 'Host', 'len', '20'], V)?.words, 3);
  assert.equal(matchKeyword('frontend', ['http-request', 'deny', 'if', 'x'], V)?.words, 1);
  assert.equal(matchKeyword('global', ['stats', 'socket', '/run/haproxy.sock'], V)?.spec.name, 'stats socket');
  // `option` alone is not a keyword.
  assert.equal(matchKeyword('frontend', ['option'], V), undefined);
  assert.ok(keywordNames('defaults', V).includes('option httplog'));
  assert.ok(keywordNames('defaults', V).includes('timeout connect'));
});

test('warnSections were measured: cookie/balance in a frontend only warn', () => {
  for (const name of ['cookie', 'balance']) {
    assert.equal(matchKeyword('frontend', [name], V), undefined, name);
    const m = matchAnywhere([name], V);
    assert.ok(m?.spec.warnSections?.includes('frontend'), name);
    assert.ok(m?.spec.sections.includes('backend'), name);
  }
  // `server` in a frontend is an error in 2.6, not a warning.
  const server = matchAll(['server'], V).find((x) => x.spec.sections.includes('backend'));
  assert.ok(server);
  assert.ok(!server.spec.warnSections?.includes('frontend'));
  assert.ok(!server.spec.sections.includes('frontend'));
});

test('arguments useful for validation are present', () => {
  const mode = matchKeyword('defaults', ['mode'], V)?.spec.args?.[0];
  assert.deepEqual(mode && enumValuesIn(mode, V), ['tcp', 'http']);
  const balance = matchKeyword('backend', ['balance'], V)?.spec.args?.[0];
  assert.ok(balance && balance.type === 'enum');
  for (const algo of ['roundrobin', 'leastconn', 'source', 'uri', 'hdr(host)', 'random(2)']) assert.ok(enumAccepts(balance, algo), algo);
  assert.ok(!enumAccepts(balance, 'round-robin'));
  assert.equal(matchKeyword('backend', ['timeout', 'server'], V)?.spec.args?.[0].type, 'time');
  assert.equal(matchKeyword('global', ['maxconn'], V)?.spec.args?.[0].type, 'int');
  assert.equal(matchKeyword('global', ['nbthread'], V)?.spec.args?.[0].type, 'int');
  assert.equal(matchKeyword('backend', ['retries'], V)?.spec.args?.[0].type, 'int');
  assert.equal(matchOption('server', 'port', V)?.spec.args?.[0].type, 'port');
  assert.equal(matchOption('server', 'weight', V)?.spec.args?.[0].max, 256);
});

test('bind and server options', () => {
  assert.equal(matchOption('bind', 'ssl', V)?.status, 'ok');
  assert.equal(matchOption('server', 'check', V)?.status, 'ok');
  assert.equal(matchOption('bind', 'process', V)?.status, 'ok');
  assert.equal(matchOption('bind', 'process', '2.8')?.status, 'removed');
  assert.equal(matchOption('server', 'chek', V), undefined);
  assert.ok(optionNames('server', V).includes('inter'));
  assert.ok(optionNames('bind', V).includes('accept-proxy'));
});

test('unknown words return undefined', () => {
  assert.equal(matchKeyword('frontend', ['bogus-keyword'], V), undefined);
  assert.equal(matchAnywhere(['bogus-keyword', 'x'], V), undefined);
  assert.equal(matchKeyword('frontend', [], V), undefined);
  assert.equal(matchKeyword('no-such-section', ['mode'], V), undefined);
  assert.equal(matchOption('bind', 'bogus', V), undefined);
  assert.equal(sectionInfo('bogus'), undefined);
  assert.deepEqual(keywordNames('no-such-section', V), []);
});

test('sections and versions', () => {
  assert.equal(KNOWN_VERSIONS[0], '1.8');
  assert.equal(KNOWN_VERSIONS[KNOWN_VERSIONS.length - 1], '3.5');
  const at26 = sectionNames(V);
  for (const s of ['global', 'defaults', 'frontend', 'backend', 'listen', 'userlist', 'peers', 'resolvers', 'mailers', 'program', 'http-errors', 'ring', 'log-forward', 'cache', 'fcgi-app'])
    assert.ok(at26.includes(s), s);
  assert.ok(!sectionNames('1.8').includes('ring'));
  assert.equal(getSchema().language, 'haproxy');
  assert.equal(getSchema().sourceVersion, '2.6');
});

test('lookups are indexed: 300k per-line lookups stay fast', () => {
  const lines = [['option', 'httplog'], ['timeout', 'connect', '5s'], ['server', 's1', '10.0.0.1:80'], ['bogus'], ['balance', 'roundrobin']];
  const t0 = process.hrtime.bigint();
  let hits = 0;
  for (let i = 0; i < 60_000; i++) for (const l of lines) if (matchKeyword('backend', l, V) ?? matchAnywhere(l, V)) hits++;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.equal(hits, 60_000 * 4);
  assert.ok(ms < 3000, `${ms} ms`);
});

test('the generator regenerates the committed data without manuals or binary (CI mode)', () => {
  const committed = path.resolve(__dirname, '..', '..', 'server', 'data', 'haproxy.json');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-gen-'));
  try {
    const out = path.join(dir, 'haproxy.json');
    fs.copyFileSync(committed, out);
    fs.mkdirSync(path.join(dir, 'manuals'));
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.resolve(__dirname, '..', '..', 'scripts', 'gen-haproxy-schema.ts'), '--manuals', path.join(dir, 'manuals'), '--no-probe', '--out', out],
      { encoding: 'utf8', cwd: path.resolve(__dirname, '..', '..') },
    );
    assert.equal(r.status, 0, r.stderr);
    const a = JSON.parse(fs.readFileSync(committed, 'utf8')) as Record<string, unknown>;
    const b = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>;
    delete a.generatedFrom;
    delete b.generatedFrom;
    assert.deepEqual(b, a);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('3.3-3.5 data: program sections gone in 3.3; dispatch, transparent and option transparent gone in 3.5-dev', () => {
  assert.ok(sectionNames('3.2').includes('program'));
  assert.ok(!sectionNames('3.3').includes('program'));
  assert.equal(matchKeyword('listen', ['dispatch', '127.0.0.1:80'], '3.4')?.status, 'deprecated');
  assert.equal(matchAnywhere(['dispatch'], '3.5')?.status, 'removed');
  assert.equal(matchAnywhere(['option', 'transparent'], '3.5')?.status, 'removed');
  assert.equal(matchAnywhere(['transparent'], '3.5')?.spec.sections.includes('bind'), true, 'the bind option stays');
  // Keywords new in 3.3/3.4 are known there and not before.
  assert.equal(matchKeyword('global', ['tune.quic.fe.sec.retry-threshold', '1'], '3.3')?.status, 'ok');
  assert.equal(matchKeyword('global', ['tune.quic.fe.sec.retry-threshold', '1'], '3.2')?.status, 'not-yet');
  for (const v of ['3.3', '3.4']) assert.ok(keywordNames('global', v).length > keywordNames('global', '3.2').length, v);
});

test('enum values carry their version range: mode log and balance log-hash/sticky from 2.9, mode health until 2.3', () => {
  const mode = matchKeyword('backend', ['mode'], '3.0')!.spec.args![0];
  const balance = matchKeyword('backend', ['balance'], '3.0')!.spec.args![0];
  assert.deepEqual(enumValuesIn(mode, '2.6'), ['tcp', 'http']);
  assert.deepEqual(enumValuesIn(mode, '3.0'), ['tcp', 'http', 'log']);
  assert.deepEqual(enumValuesIn(mode, '3.2'), ['tcp', 'http', 'log', 'spop']);
  assert.deepEqual(enumValuesIn(mode, '2.2'), ['tcp', 'http', 'health']);
  for (const algo of ['log-hash', 'sticky']) {
    assert.ok(!enumValuesIn(balance, '2.6').includes(algo), `${algo} at 2.6`);
    assert.ok(enumValuesIn(balance, '3.0').includes(algo), `${algo} at 3.0`);
  }
  assert.match(checkArg(mode, 'log', '2.6') ?? '', /only from HAProxy 2\.9 \(target 2\.6\)/);
  assert.equal(checkArg(mode, 'log', '3.0'), undefined);
  assert.match(checkArg(mode, 'health', '2.6') ?? '', /no longer a valid value since HAProxy 2\.3/);
  assert.equal(checkArg(balance, 'sticky', '3.2'), undefined);
});

test('server options with a parameter in parentheses: set-proxy-v2-tlv-fmt from 2.9', () => {
  assert.equal(matchOption('server', 'set-proxy-v2-tlv-fmt', '3.0')?.status, 'ok');
  assert.equal(matchOption('server', 'set-proxy-v2-tlv-fmt', '2.6')?.status, 'not-yet');
});

test('the generator gives enum values the range the manuals show (widenEnum)', () => {
  const arg = widenEnum({ name: 'value', type: 'enum', values: ['tcp', 'http'] }, [
    ['2.2', ['tcp', 'http', 'health']],
    ['2.6', ['tcp', 'http']],
    ['2.8', undefined],
    ['2.9', ['tcp', 'http', 'log']],
  ]);
  assert.deepEqual(arg.values, ['tcp', 'http', 'health', 'log']);
  assert.deepEqual(arg.valueVersions, { health: { removed: '2.6' }, log: { added: '2.9' } });
});
