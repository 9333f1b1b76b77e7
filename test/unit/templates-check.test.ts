import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { detectLanguage } from '../../server/src/engine/detect';
import { checkWorkspace } from '../../server/src/engine/workspace';
import { collectFiles } from '../../server/src/engine/collect';
import { defaultCheckOptions } from '../../server/src/core/types';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { maskTemplate } from '../../server/src/templates/mask';
import { renderTemplate, markTemplate, unmark } from '../../server/src/templates/render';
import { pyRepr, pyJson } from '../../server/src/templates/pyjinja';
import { allRules } from '../../server/src/engine/rules';

const FIX = path.resolve(__dirname, '../fixtures/templates');
const EXAMPLE = path.resolve(__dirname, '../../examples/ansible-role');

function check(dir: string) {
  const c = collectFiles([dir]);
  return checkWorkspace({ files: c.files, manifests: c.manifests }, defaultCheckOptions(), new NodeSourceHost());
}

test('template names are recognised with the language their name without the suffix gives', () => {
  assert.equal(detectLanguage('/r/haproxy.cfg.j2'), 'haproxy');
  assert.equal(detectLanguage('/r/keepalived.conf.j2'), 'keepalived');
  assert.equal(detectLanguage('/r/corosync.conf.jinja2'), 'corosync');
  assert.equal(detectLanguage('/r/haproxy.cfg.jinja'), 'haproxy');
  // By content for *.cfg.j2 / *.conf.j2, with the Jinja syntax blanked first.
  assert.equal(detectLanguage('/r/roles/lb/templates/lb.conf.j2', '{% for i in x %}\nvrrp_instance {{ i }} {\n  virtual_router_id {{ v }}\n}\n{% endfor %}\n'), 'keepalived');
  assert.equal(detectLanguage('/r/notes.txt.j2', 'global\n'), undefined);
});

test('masking keeps every offset and line break', () => {
  const text = 'frontend fe_{{ name }}\n{% if x %}\n    bind {{ a }}:{{ p }}\n{# c\n #}\n{% endif %}\n';
  const m = maskTemplate(text, 'haproxy');
  assert.equal(m.text.length, text.length);
  assert.deepEqual(
    m.text.split('\n').map((l) => l.length),
    text.split('\n').map((l) => l.length),
  );
  assert.match(m.text, /^frontend fe_\$\{J+\}\n/);
  assert.equal(maskTemplate('priority {{ p }}', 'keepalived').text, 'priority $JJJJJJ');
});

test('un-rendered templates in the style of common roles check clean (no false errors)', () => {
  const r = check(path.join(FIX, 'unrendered'));
  assert.equal(r.files.length, 5);
  assert.deepEqual(
    r.diagnostics.map((d) => `${path.basename(d.file)}:${d.range.start.line + 1} ${d.code} ${d.message}`),
    [],
  );
});

test('the same templates read as plain configs get dozens of false errors (what masking prevents)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-tpl-'));
  try {
    for (const n of ['haproxy.cfg', 'keepalived.conf', 'corosync.conf']) fs.copyFileSync(path.join(FIX, 'unrendered', `${n}.j2`), path.join(dir, n));
    const errors = check(dir).diagnostics.filter((d) => d.severity === 'error');
    assert.ok(errors.length >= 10, `expected many false errors without masking, got ${errors.length}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a real mistake in the literal text of a template is still reported', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-tpl-'));
  try {
    fs.writeFileSync(
      path.join(dir, 'haproxy.cfg.j2'),
      'defaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n\nbackend be_{{ name }}\n    balanse roundrobin\n{% for s in servers %}\n    server {{ s.name }} {{ s.ip }}:80 check\n{% endfor %}\n',
    );
    const found = check(dir).diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`);
    assert.ok(found.includes('8:5 haproxy/unknown-keyword'), found.join('\n'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('markers map each output line to the template line that produced it, also through loops and -%}', () => {
  const tpl = 'a\n{% for x in xs %}\n  item {{ x }}\n{% endfor %}\nb {{- " c" }}\n{%- if true %}\nd\n{% endif %}\n';
  const r = renderTemplate(tpl, { xs: [1, 2] });
  assert.ok(r.ok);
  assert.equal(r.rendered.text, 'a\n  item 1\n  item 2\nb cd\n');
  assert.deepEqual(r.rendered.lineMap.slice(0, 4), [0, 2, 2, 4]);
  assert.equal(unmark(markTemplate('x\ny\n')).text, 'x\ny\n');
});

test('values print as Python prints them; to_json uses json.dumps separators', () => {
  assert.equal(pyRepr(['a', true, null, 3]), "['a', True, None, 3]");
  assert.equal(pyJson({ a: [1, 'x'] }), '{"a": [1, "x"]}');
  const r = renderTemplate('{{ flag }} {{ l }} {{ "10.0.0.5/24" | ipaddr("address") }} {{ "a-b" | regex_replace("-(.)", "_\\\\1") }}', { flag: false, l: ['x'] });
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.rendered.text, "False ['x'] 10.0.0.5 a_b");
});

test('an unknown filter or a lookup fails the render with a reason, never a guess', () => {
  const f = renderTemplate('a\nb {{ x | password_hash("sha512") }}\n', { x: 'p' });
  assert.ok(!f.ok);
  assert.equal(f.failure.line, 1);
  assert.ok(f.failure.unsupported);
  const l = renderTemplate("{{ lookup('file', '/etc/x') }}", {});
  assert.ok(!l.ok && /lookup/.test(l.failure.message));
});

test('the test role renders per host and checks clean (only the nonlocal-bind information)', () => {
  const r = check(path.join(FIX, 'ansible'));
  assert.deepEqual(
    r.diagnostics.filter((d) => d.severity !== 'information').map((d) => d.message),
    [],
  );
  const hosts = r.clusters.flatMap((c) => c.nodes.map((n) => n.name)).sort();
  assert.deepEqual(hosts, ['lb1', 'lb2', 'lb3']);
});

test('examples/ansible-role: the VRID mismatch from host_vars/lb2.yml points at the template line and the variable', () => {
  const r = check(EXAMPLE);
  const vrid = r.diagnostics.filter((d) => d.code === 'cluster/vrid-mismatch');
  assert.equal(vrid.length, 1);
  const d = vrid[0];
  assert.equal(path.relative(EXAMPLE, d.file), 'roles/lb/templates/keepalived.conf.j2');
  assert.equal(d.range.start.line, 16);
  assert.match(d.message, /^lb2: virtual_router_id 52 differs/);
  const origin = d.related?.find((x) => x.file.endsWith(path.join('host_vars', 'lb2.yml')));
  assert.ok(origin, JSON.stringify(d.related));
  assert.equal(origin.range.start.line, 2);
  assert.equal(r.diagnostics.filter((x) => x.severity === 'error').length, 1);
});

test('a host whose render fails gets one information finding on the template line', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-tpl-'));
  try {
    fs.cpSync(path.join(FIX, 'ansible'), dir, { recursive: true });
    const t = path.join(dir, 'roles/lb/templates/haproxy.cfg.j2');
    fs.writeFileSync(t, fs.readFileSync(t, 'utf8').replace('maxconn {{ haproxy_maxconn }}', "maxconn {{ lookup('env', 'MAXCONN') }}"));
    const notes = check(dir).diagnostics.filter((d) => d.code === 'template/not-rendered');
    assert.equal(notes.length, 3);
    assert.ok(notes.every((d) => d.severity === 'information' && d.range.start.line === 3 && /lookup/.test(d.message)));
    // Every code the template layer reports is in the rule catalogue (docs/rules.md, SARIF, editor links).
    const catalogue = new Set(allRules().map((r) => r.code));
    for (const d of [...notes, ...check(FIX).diagnostics, ...check(EXAMPLE).diagnostics]) assert.ok(catalogue.has(d.code), `${d.code} is not in allRules()`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the Jinja injection grammar is contributed for the three languages and its patterns compile', () => {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
  const entry = pkg.contributes.grammars.find((g: { scopeName: string }) => g.scopeName === 'haconf.jinja.injection');
  assert.deepEqual(entry.injectTo, ['source.haproxy', 'source.keepalived', 'source.corosync']);
  const grammar = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../..', entry.path), 'utf8'));
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'match' || k === 'begin' || k === 'end') && typeof v === 'string') assert.doesNotThrow(() => new RegExp(v), v);
      else walk(v);
    }
  };
  walk(grammar.repository);
  assert.match('{%- if x %}', new RegExp(grammar.repository.statement.begin));
});

test('loop filters and raw blocks render as Jinja2 renders them (nunjucks reads both differently)', () => {
  const loop = renderTemplate('{% for p in peers if p != me %}{{ loop.index }}:{{ p }} {% endfor %}', { peers: ['a', 'b', 'c'], me: 'b' });
  assert.ok(loop.ok, JSON.stringify(loop));
  assert.equal(loop.rendered.text, '1:a 2:c ');
  const raw = renderTemplate('x\n{% raw %}\n  {{ literal }}\n{% endraw %}\ny\n', {});
  assert.ok(raw.ok, JSON.stringify(raw));
  assert.equal(raw.rendered.text, 'x\n\n  {{ literal }}\ny\n');
});

test('the YAML-inventory project renders per host with no error (its one warning is a real per-host difference)', () => {
  const r = check(path.join(FIX, 'ansible-yaml'));
  assert.deepEqual(
    r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    [],
  );
  assert.deepEqual(
    r.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.code),
    ['cluster/haproxy-divergent'],
  );
});

test('haconf.yaml inventory: names the inventory and the group the templates under it render for', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-tpl-man-'));
  try {
    fs.mkdirSync(path.join(dir, 'inv'));
    fs.mkdirSync(path.join(dir, 'templates'));
    fs.writeFileSync(path.join(dir, 'inv', 'lbs.ini'), '[edge]\nn1 addr=10.1.0.2 prio=150\nn2 addr=10.1.0.3 prio=100\n[other]\nx1 addr=10.9.9.9\n');
    fs.writeFileSync(
      path.join(dir, 'templates', 'keepalived.conf.j2'),
      'vrrp_instance VI_1 {\n    state BACKUP\n    interface eth0\n    virtual_router_id {{ 60 if inventory_hostname == "n1" else 61 }}\n    priority {{ prio }}\n    unicast_src_ip {{ addr }}\n    unicast_peer {\n{% for p in groups["edge"] if p != inventory_hostname %}\n        {{ hostvars[p].addr }}\n{% endfor %}\n    }\n    virtual_ipaddress {\n        10.1.0.10/24\n    }\n}\n',
    );
    fs.writeFileSync(
      path.join(dir, 'haconf.yaml'),
      'cluster: edge\ninventory:\n  path: inv/lbs.ini\n  group: edge\nhosts:\n  - name: n1\n    address: 10.1.0.2/24\n  - name: n2\n    address: 10.1.0.3/24\n',
    );
    const r = check(dir);
    const vrid = r.diagnostics.filter((d) => d.code === 'cluster/vrid-mismatch');
    assert.equal(vrid.length, 1, r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
    assert.equal(vrid[0].range.start.line, 3);
    assert.ok(!r.diagnostics.some((d) => /x1/.test(d.message)), 'the other group is not rendered');
    assert.ok(!r.diagnostics.some((d) => d.code.startsWith('manifest/')), r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an inventory that is a FIFO is reported, never read (no hang)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-tpl-fifo-'));
  try {
    fs.cpSync(path.join(FIX, 'ansible'), dir, { recursive: true });
    fs.rmSync(path.join(dir, 'inventory', 'hosts.ini'));
    const made = spawnSync('mkfifo', [path.join(dir, 'inventory', 'hosts.ini')]);
    assert.equal(made.status, 0, 'mkfifo (coreutils) is needed for this test');
    const t0 = Date.now();
    const r = check(dir);
    assert.ok(Date.now() - t0 < 10000);
    assert.ok(
      r.diagnostics.some((d) => d.code === 'template/not-rendered' && /cannot read this inventory file/.test(d.message)),
      r.diagnostics.map((d) => d.message).join('\n'),
    );
    assert.deepEqual(
      r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
      [],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a template that loops without end is reported, not rendered (the server never hangs)', () => {
  const t0 = Date.now();
  const r = renderTemplate('{% for i in range(100000) %}{% for j in range(100000) %}{{ j }}{% endfor %}{% endfor %}', {});
  assert.ok(Date.now() - t0 < 20000, `took ${Date.now() - t0} ms`);
  assert.ok(!r.ok && r.failure.unsupported && /loops more than haconf renders/.test(r.failure.message), JSON.stringify(r));
  // The budget is per render: the next render works.
  const next = renderTemplate('{% for i in range(3) %}{{ i }}{% endfor %}', {});
  assert.ok(next.ok && next.rendered.text === '012');
});
