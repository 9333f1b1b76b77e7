// Complexity guard: doubling the input must not more than triple the work. Work is counted, not timed:
// every property read the rules make on the parsed document (statements, words, blocks, facts) goes
// through a counting Proxy, so the engine needs no hook and the count is the same on a busy machine.
// Insertions into Sets, Maps and arrays count too (the prototypes are patched while a check runs), which
// catches loops that rebuild a collection per item. A rule that rescans the document or rebuilds an index
// per statement (quadratic) makes the count grow about 4× per doubling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { haproxyConfig, keepalivedConfig, corosyncConfig, workspace } from '../../bench/gen';
import { haproxyModule } from '../../server/src/haproxy/index';
import type { LanguageModule } from '../../server/src/core/language';
import { keepalivedModule } from '../../server/src/keepalived/index';
import { corosyncModule } from '../../server/src/corosync/index';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { defaultCheckOptions } from '../../server/src/core/types';
import { LANGUAGE_MODULES } from '../../server/src/engine/languages';
import { buildClusters, type WorkspaceEntry } from '../../server/src/cluster/model';
import { checkClusters } from '../../server/src/cluster/rules';

interface Counter {
  n: number;
}

/** Wraps `root` so that every property read on it, or on any plain object or array reached from it, counts. */
function counting<T extends object>(root: T, counter: Counter): T {
  const proxies = new WeakMap<object, object>();
  const wrap = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    // Maps, Sets and the like keep their data in internal slots a Proxy cannot reach.
    if (!Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype) return v;
    let p = proxies.get(v);
    if (!p) {
      p = new Proxy(v, {
        get(target, key) {
          counter.n++;
          return wrap(Reflect.get(target, key));
        },
      });
      proxies.set(v, p);
    }
    return p;
  };
  return wrap(root) as T;
}

/** Runs `fn` with Set#add, Map#set and Array#push counted (the Set and Map constructors call them too). */
function countingCollections<R>(counter: Counter, fn: () => R): R {
  const setAdd = Set.prototype.add;
  const mapSet = Map.prototype.set;
  const push = Array.prototype.push;
  Set.prototype.add = function <T>(this: Set<T>, v: T) {
    counter.n++;
    return setAdd.call(this, v);
  };
  Map.prototype.set = function <K, V>(this: Map<K, V>, k: K, v: V) {
    counter.n++;
    return mapSet.call(this, k, v);
  };
  Array.prototype.push = function <T>(this: T[], ...items: T[]) {
    counter.n++;
    return push.apply(this, items);
  };
  try {
    return fn();
  } finally {
    Set.prototype.add = setAdd;
    Map.prototype.set = mapSet;
    Array.prototype.push = push;
  }
}

const options = defaultCheckOptions();
const host = new NodeSourceHost();

interface Work {
  /** Property reads on the parsed document and facts. */
  reads: number;
  /** Set/Map/array insertions. */
  inserts: number;
}

/** Work at n and 2n. */
function growth(work: (n: number) => Work, n: number): { a: Work; b: Work } {
  return { a: work(n), b: work(2 * n) };
}

/** Each kind of work is checked on its own, so a quadratic insert loop is not hidden by linear reads. */
function assertLinear(name: string, g: { a: Work; b: Work }): void {
  for (const k of ['reads', 'inserts'] as const) {
    const a = g.a[k];
    const b = g.b[k];
    assert.ok(a > 0, `${name}: no ${k} were counted`);
    const ratio = b / a;
    assert.ok(ratio <= 3, `${name}: doubling the input multiplied the ${k} by ${ratio.toFixed(2)} (${a} → ${b}); something walks the input once per item`);
  }
}

/**
 * Work of one language module's check and facts on a text. The facts are serialised, so the lists they
 * build on first read (HAProxy binds, backends, fingerprint) are built and counted too.
 */
function moduleWork<D>(mod: LanguageModule<D>, file: string, text: string): Work {
  const doc = mod.parse(file, text, host);
  const c: Counter = { n: 0 };
  const ins: Counter = { n: 0 };
  const wrapped = counting(doc as object, c) as D;
  countingCollections(ins, () => {
    mod.check(wrapped, options);
    JSON.stringify(mod.facts?.(wrapped));
  });
  return { reads: c.n, inserts: ins.n };
}

test('haproxy rules: reads on the syntax tree grow linearly with the number of backends', () => {
  assertLinear(
    'haproxy',
    growth((n) => moduleWork(haproxyModule, '/bench/haproxy.cfg', haproxyConfig(n)), 400),
  );
});

test('keepalived rules: reads grow linearly with the number of VRRP instances', () => {
  assertLinear(
    'keepalived',
    growth((n) => moduleWork(keepalivedModule, '/bench/keepalived.conf', keepalivedConfig(n)), 100),
  );
});

test('corosync rules: reads grow linearly with the number of nodes', () => {
  assertLinear(
    'corosync',
    growth((n) => moduleWork(corosyncModule, '/bench/corosync.conf', corosyncConfig(n)), 200),
  );
});

test('cluster grouping and cross-file rules: reads grow linearly with the number of clusters', () => {
  const g = growth((clusters) => {
    const files = workspace(clusters, { corosync: true });
    const entries: WorkspaceEntry[] = [];
    for (const [rel, text] of Object.entries(files)) {
      const file = `/bench/ws/${rel}`;
      const lang = rel.endsWith('keepalived.conf') ? 'keepalived' : rel.endsWith('corosync.conf') ? 'corosync' : 'haproxy';
      const mod = LANGUAGE_MODULES[lang];
      const doc = mod.parse(file, text, host);
      mod.check(doc, options);
      entries.push({ file, ...mod.facts!(doc) });
    }
    const c: Counter = { n: 0 };
    const ins: Counter = { n: 0 };
    const wrapped = entries.map((e) => counting(e, c));
    countingCollections(ins, () => {
      const built = buildClusters(wrapped, []);
      assert.equal(built.length, clusters, 'every generated cluster is found');
      checkClusters(built);
    });
    return { reads: c.n, inserts: ins.n };
  }, 60);
  assertLinear('cluster', g);
});
