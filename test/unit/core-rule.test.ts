// The rule shape and registries (core/rule.ts): severity from metadata, each rule isolated, one catalogue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RuleRegistry, severityOf, type Builder, type Rule } from '../../server/src/core/rule';
import { defaultCheckOptions, type Diagnostic, type RuleMeta } from '../../server/src/core/types';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { parseHaproxy } from '../../server/src/haproxy';
import { haproxyRules } from '../../server/src/haproxy/rules';
import { RuleContext as HaproxyContext } from '../../server/src/haproxy/rules/context';
import { parseKeepalived } from '../../server/src/keepalived/parser';
import { keepalivedRules } from '../../server/src/keepalived/rules';
import { RuleContext as KeepalivedContext } from '../../server/src/keepalived/rules/context';
import { parseCorosync } from '../../server/src/corosync/parser';
import { corosyncRules, RuleContext as CorosyncContext } from '../../server/src/corosync/rules';
import { checkCluster, clusterRules, ClusterContext, crossClusterRules } from '../../server/src/cluster/rules';
import { allRules } from '../../server/src/engine/rules';
import type { Cluster } from '../../server/src/cluster/model';

const ROOT = path.join(__dirname, '..', '..');

/** A haproxy.cfg with findings of several rules: removed keyword (builder), bad argument, missing timeout, weak password. */
const CFG = [
  'global',
  '    maxconn abc',
  'defaults',
  '    mode http',
  '    contimeout 5s',
  'frontend www',
  '    bind :80',
  '    default_backend app',
  'backend app',
  '    stats auth admin:admin',
  '    server s1 10.0.0.1:80 check',
  '',
].join('\n');

const BOOM: RuleMeta = { code: 'haproxy/boom', defaultSeverity: 'error', summary: 'throws', rationale: 'test only', example: '-' };
const throwing: Rule<HaproxyContext> = {
  meta: BOOM,
  check: (ctx) => {
    ctx.report(BOOM, { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, 'reported before throwing');
    throw new Error('deliberate');
  },
};

function runHaproxy(registry: RuleRegistry<HaproxyContext>): Diagnostic[] {
  const ctx = new HaproxyContext(parseHaproxy('/t/haproxy.cfg', CFG), defaultCheckOptions());
  registry.run(ctx);
  return ctx.diagnostics;
}

const brief = (ds: Diagnostic[]) => ds.map((d) => `${d.code} ${d.severity} ${d.range.start.line}:${d.range.start.character} ${d.message}`).sort();

test('a throwing rule becomes one internal-error finding; every other rule still reports', () => {
  const clean = runHaproxy(new RuleRegistry('haproxy', haproxyRules.builders, haproxyRules.rules));
  assert.ok(new Set(clean.map((d) => d.code)).size >= 4, `the fixture exercises several rules: ${brief(clean).join('\n')}`);
  for (const at of [0, 3, haproxyRules.rules.length]) {
    const rules = [...haproxyRules.rules];
    rules.splice(at, 0, throwing);
    const found = runHaproxy(new RuleRegistry('haproxy', haproxyRules.builders, rules));
    const internal = found.filter((d) => d.code === 'haproxy/internal-error');
    assert.equal(internal.length, 1, `throwing rule at ${at}`);
    assert.equal(internal[0].severity, 'error');
    assert.equal(internal[0].file, '/t/haproxy.cfg');
    assert.match(internal[0].message, /rule haproxy\/boom: deliberate/);
    assert.match(internal[0].message, /please report this with the file attached/);
    // What the rule reported before throwing is dropped; every other finding is the same as without it.
    assert.deepEqual(brief(found.filter((d) => d.code !== 'haproxy/internal-error')), brief(clean));
  }
});

test('a throwing builder stops the run with one internal-error finding instead of rules over a half-built model', () => {
  const broken: Builder<HaproxyContext> = {
    name: 'broken model',
    build: () => {
      throw new Error('no model');
    },
  };
  const found = runHaproxy(new RuleRegistry('haproxy', [...haproxyRules.builders, broken], haproxyRules.rules));
  const internal = found.filter((d) => d.code === 'haproxy/internal-error');
  assert.equal(internal.length, 1, brief(found).join('\n'));
  assert.match(internal[0].message, /builder broken model: no model.*the rules were not run/);
  // The builders before it did their work (and report what they found while building); no rule ran.
  assert.ok(
    found.some((d) => d.code === 'haproxy/removed-keyword'),
    brief(found).join('\n'),
  );
  for (const code of ['haproxy/weak-credentials', 'haproxy/missing-timeout', 'haproxy/undefined-reference']) {
    assert.ok(!found.some((d) => d.code === code), code);
  }
});

test('isolation holds in every layer: keepalived, corosync and cluster registries', () => {
  const kaText = 'vrrp_instance VI_1 {\n    state MASTER\n    nopreempt\n    priority 300\n}\n';
  const kaThrow: Rule<KeepalivedContext> = {
    meta: { ...BOOM, code: 'keepalived/boom' },
    check: () => {
      throw new Error('ka');
    },
  };
  const ka = new KeepalivedContext(parseKeepalived('/t/keepalived.conf', kaText, new NodeSourceHost()));
  new RuleRegistry('keepalived', keepalivedRules.builders, [kaThrow, ...keepalivedRules.rules]).run(ka);
  const kaCodes = ka.diagnostics.map((d) => d.code);
  assert.ok(kaCodes.includes('keepalived/internal-error'));
  assert.ok(kaCodes.includes('keepalived/nopreempt-master'), kaCodes.join());
  assert.ok(kaCodes.includes('keepalived/invalid-value'), kaCodes.join());

  const coroText = 'totem {\n    version: 2\n    transport: udpu\n    crypto_cipher: aes256\n}\nquorum {\n    provider: corosync_votequorum\n}\n';
  const coThrow: Rule<CorosyncContext> = {
    meta: { ...BOOM, code: 'corosync/boom' },
    check: () => {
      throw new Error('co');
    },
  };
  const co = new CorosyncContext(parseCorosync('/t/corosync.conf', coroText));
  new RuleRegistry('corosync', corosyncRules.builders, [...corosyncRules.rules, coThrow]).run(co);
  const coCodes = co.diagnostics.map((d) => d.code);
  assert.ok(coCodes.includes('corosync/internal-error'));
  assert.ok(coCodes.includes('corosync/missing-nodelist'), coCodes.join());

  const cluster: Cluster = { name: 'c', origin: 'inferred', reason: 'test', nodes: [], workers: [], nodePorts: [], files: ['/t/a/keepalived.conf'] };
  const clThrow: Rule<ClusterContext> = {
    meta: { ...BOOM, code: 'cluster/boom' },
    check: () => {
      throw new Error('cl');
    },
  };
  const cl = new ClusterContext(cluster, []);
  new RuleRegistry('cluster', [], [clThrow, ...clusterRules.rules]).run(cl);
  assert.deepEqual(
    cl.diagnostics.map((d) => [d.code, d.file]),
    [['cluster/internal-error', '/t/a/keepalived.conf']],
  );
  assert.deepEqual(checkCluster(cluster), []);
});

test('severity comes from the metadata; a variant must be declared', () => {
  const meta: RuleMeta = { ...BOOM, variants: { soft: { severity: 'warning', when: 'soft' } } };
  assert.equal(severityOf(meta), 'error');
  assert.equal(severityOf(meta, 'soft'), 'warning');
  assert.throws(() => severityOf(meta, 'loud'), /haproxy\/boom has no variant 'loud'/);
  // A report naming a code the registry does not know is a rule bug: it becomes an internal error.
  const unknownCode: Rule<HaproxyContext> = {
    meta: BOOM,
    check: (ctx) => ctx.report('haproxy/not-a-code' as 'haproxy/syntax', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, 'x'),
  };
  const found = runHaproxy(new RuleRegistry('haproxy', haproxyRules.builders, [unknownCode]));
  assert.match(found.find((d) => d.code === 'haproxy/internal-error')!.message, /'haproxy\/not-a-code' is not a code of this layer's registry/);
});

test('a registry refuses a code declared twice or outside its layer', () => {
  const twin: RuleMeta = { ...BOOM };
  assert.throws(
    () =>
      new RuleRegistry(
        'haproxy',
        [],
        [
          { meta: BOOM, check: () => {} },
          { meta: twin, check: () => {} },
        ],
      ),
    /declared twice/,
  );
  assert.throws(() => new RuleRegistry('keepalived', [], [{ meta: BOOM, check: () => {} }]), /does not belong/);
});

test('one catalogue: every code each registry reports is in allRules once, with its internal-error code', () => {
  const codes = allRules().map((r) => r.code);
  for (const reg of [haproxyRules, keepalivedRules, corosyncRules, clusterRules, crossClusterRules]) {
    for (const m of reg.catalogue) assert.equal(codes.filter((c) => c === m.code).length, 1, m.code);
    assert.equal(codes.filter((c) => c === reg.internalError.code).length, 1, reg.internalError.code);
  }
});

/** Literal codes at report call sites, per layer folder: each must be in that layer's registry. */
test('every literal code at a report call site is a code of its layer registry', () => {
  const layers: [string, RuleRegistry<never>, string][] = [
    ['server/src/haproxy/rules', haproxyRules as never, ''],
    ['server/src/keepalived/rules', keepalivedRules as never, ''],
    ['server/src/corosync/rules', corosyncRules as never, 'corosync/'],
    ['server/src/cluster/rules', clusterRules as never, 'cluster/'],
  ];
  let seen = 0;
  for (const [dir, reg, prefix] of layers) {
    const known = new Set([...reg.catalogue.map((m) => m.code), ...(prefix === 'cluster/' ? crossClusterRules.catalogue.map((m) => m.code) : [])]);
    for (const f of fs.readdirSync(path.join(ROOT, dir))) {
      const text = fs.readFileSync(path.join(ROOT, dir, f), 'utf8');
      for (const m of text.matchAll(/\breport\(\s*'([a-z0-9/-]+)'/g)) {
        seen++;
        assert.ok(known.has(prefix + m[1]), `${dir}/${f}: ${m[1]}`);
      }
      for (const m of text.matchAll(/variant: '([a-z-]+)'/g)) {
        assert.ok(
          reg.catalogue.some((meta) => meta.variants?.[m[1]]),
          `${dir}/${f}: variant ${m[1]} is declared`,
        );
      }
    }
  }
  assert.ok(seen > 50, `found ${seen} report sites`);
});
