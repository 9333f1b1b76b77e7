// The upgrade assistant's rewrites, judged by the real HAProxy of the new version (test/versions.ts: 3.0
// from Debian 13, 3.2 from testing). For examples/as-written and the corpus files that use removed keywords,
// the assistant plans the upgrade from 2.6 (this machine's version) and the rewritten copy goes through
// `haproxy -c` of the target version next to the original:
// - no alert of the rewritten file names a line the assistant rewrote;
// - every alert of the rewritten file was already raised by the original, or haconf reports that line of the
//   original as an error at the new version (haproxy -c skips its later checks when parsing failed);
// - a file the original was refused for only on rewritten lines is accepted once rewritten.
// What depends on the machine the file was written for is stubbed the same way on both sides, so the binary
// judges the configuration: TLS certificates become a fresh self-signed one, error files a minimal response,
// and `quiet` (which hides every alert) goes; each on its own line, so line numbers do not move.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { accepts, cleanupVersions, label, requireVersions, runHaproxy, toolVersions, type ToolVersion } from '../versions';
import { planUpgrade } from '../../server/src/engine/upgrade';
import { checkText } from '../../server/src/engine/check';
import { NodeSourceHost } from '../../server/src/core/sourceHost';

const ROOT = path.resolve(__dirname, '../..');
const CORPUS = path.resolve(ROOT, '../shared/corpus/haproxy');

/** Files with removed keywords the assistant rewrites, and the examples as written. */
const CASES = [
  path.join(ROOT, 'examples/as-written/ingress-nodeport/haproxy.cfg'),
  path.join(ROOT, 'examples/as-written/apiserver-lb/haproxy.cfg'),
  path.join(ROOT, 'examples/as-written/nodeport-range/haproxy.cfg'),
  path.join(CORPUS, 'dmitriy-kiriyenko__docker-haproxy-for-marathon__files_haproxy.cfg'),
  path.join(CORPUS, 'hyperaudio__hyperaudio-api__etc_haproxy_haproxy.cfg'),
  path.join(CORPUS, 'alexaorrico__AirBnB_clone_v2__etc_haproxy_haproxy.cfg'),
  path.join(CORPUS, 'BackupGGCode__qmellon__etc_haproxy_haproxy.cfg'),
];

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-upgrade-'));
after(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
  cleanupVersions();
});

interface Alert {
  line: number;
  message: string;
}

/** The `parsing [file:N] : message` alerts of a haproxy -c run (the summary lines carry no line). */
function alerts(output: string): Alert[] {
  const out: Alert[] = [];
  for (const m of output.matchAll(/\[ALERT\][^\n]*?parsing \[[^\]\n]*:(\d+)\] : ([^\n]*)/g)) out.push({ line: Number(m[1]), message: m[2].trim() });
  return out;
}

let certificate: string | undefined;
/** A self-signed certificate and key in one PEM file, made once. */
function selfSigned(): string {
  if (certificate) return certificate;
  const pem = path.join(scratch, 'self-signed.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${pem}.key`, '-out', `${pem}.crt`, '-days', '2', '-subj', '/CN=haconf-test'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `openssl could not make a test certificate: ${r.stderr}`);
  fs.writeFileSync(pem, fs.readFileSync(`${pem}.crt`, 'utf8') + fs.readFileSync(`${pem}.key`, 'utf8'));
  certificate = pem;
  return pem;
}

/** The file with its machine-specific references pointed at stubs in `dir` (same lines). */
function stubMachine(text: string, dir: string): string {
  return text
    .split('\n')
    .map((line) => {
      if (/^\s*quiet\s*$/.test(line)) return '';
      const errorfile = /^(\s*errorfile\s+)(\d+)(\s+)(\S+)(.*)$/.exec(line);
      if (errorfile) {
        const stub = path.join(dir, `${errorfile[2]}.http`);
        fs.writeFileSync(stub, `HTTP/1.0 ${errorfile[2]} Stub\r\nContent-Length: 0\r\n\r\n`);
        return `${errorfile[1]}${errorfile[2]}${errorfile[3]}${stub}${errorfile[5]}`;
      }
      return line.replace(/(\scrt\s+)(\S+)/, (_m, pre: string) => `${pre}${selfSigned()}`);
    })
    .join('\n');
}

function judge(v: ToolVersion, source: string): { rewrote: number; acceptedAfter: boolean; rejectedBefore: boolean } {
  const dir = fs.mkdtempSync(path.join(scratch, 'case-'));
  const original = path.join(dir, 'original.cfg');
  const rewritten = path.join(dir, 'rewritten.cfg');
  fs.writeFileSync(original, stubMachine(fs.readFileSync(source, 'utf8'), dir));
  const plan = planUpgrade({ files: [{ file: original, language: 'haproxy' }], manifests: [] }, { haproxyVersion: '2.6' }, v.target, new NodeSourceHost());
  const planned = plan.files.find((f) => f.file === original);
  const after = planned?.after ?? fs.readFileSync(original, 'utf8');
  fs.writeFileSync(rewritten, after);
  // Every rewrite here replaces text within one line, so line numbers match on both sides.
  const rewrittenLines = new Set((planned?.edits ?? []).map((e) => e.range.start.line + 1));
  for (const e of planned?.edits ?? []) assert.equal(e.range.start.line, e.range.end.line, `${label(v)} ${path.basename(source)}: a rewrite spans lines`);
  const before = runHaproxy(v, original);
  const now = runHaproxy(v, rewritten);
  const was = alerts(before.output);
  const is = alerts(now.output);
  const where = `${label(v)} ${path.basename(source)}`;
  const haconfErrors = new Set(
    checkText(original, fs.readFileSync(original, 'utf8'), 'haproxy', { haproxyVersion: v.target }, new NodeSourceHost())
      .diagnostics.filter((d) => d.severity === 'error')
      .map((d) => d.range.start.line + 1),
  );
  for (const a of is) {
    assert.ok(!rewrittenLines.has(a.line), `${where}: haproxy -c refuses rewritten line ${a.line}: ${a.message}\n${after.split('\n')[a.line - 1]}`);
    // haproxy -c stops before its later checks when parsing failed, so the original may not show an
    // alert its own text deserves; haconf's errors on the original text at the new version say it was there.
    assert.ok(
      was.some((b) => b.line === a.line && b.message === a.message) || haconfErrors.has(a.line),
      `${where}: the rewritten file raises an alert the original did not: line ${a.line}: ${a.message}`,
    );
  }
  // Refused only for the rewritten keywords: by haproxy -c's alerts and by haconf's errors alike.
  const onlyRewritten = !accepts(v, before) && was.length > 0 && was.every((a) => rewrittenLines.has(a.line)) && [...haconfErrors].every((l) => rewrittenLines.has(l));
  if (onlyRewritten) assert.ok(accepts(v, now), `${where}: refused only for rewritten lines, yet still refused after the rewrite:\n${now.output}`);
  return { rewrote: rewrittenLines.size, acceptedAfter: accepts(v, now), rejectedBefore: !accepts(v, before) };
}

test('the HAProxy binaries of the new versions are there', () => requireVersions(['haproxy']));

for (const v of toolVersions('haproxy').filter((t) => t.target !== '2.6')) {
  test(`upgrade 2.6 → ${v.target}: the rewritten examples and corpus files pass ${label(v)} where only rewritten lines failed`, (t) => {
    requireVersions(['haproxy']);
    let fixedOutright = 0;
    let rewrites = 0;
    for (const source of CASES) {
      assert.ok(fs.existsSync(source), `${source} is missing (the corpus is at ../shared/corpus)`);
      const r = judge(v, source);
      rewrites += r.rewrote;
      t.diagnostic(`${path.basename(source)}: ${r.rewrote} lines rewritten; before ${r.rejectedBefore ? 'refused' : 'accepted'}, after ${r.acceptedAfter ? 'accepted' : 'refused'}`);
      if (r.rejectedBefore && r.acceptedAfter) fixedOutright++;
    }
    // ingress-nodeport (reqadd), the old timeouts (dmitriy-kiriyenko), reqadd + the old timeouts
    // (hyperaudio) and reqadd (alexaorrico) are refused only for what the assistant rewrites.
    assert.ok(fixedOutright >= 4, `only ${fixedOutright} files went from refused to accepted`);
    assert.ok(rewrites >= 10, `only ${rewrites} lines rewritten`);
  });
}

/** Every 1.x filter form with an exact rewrite, in the order HAProxy 1.x ran them (so each one has one). */
const FILTERS = `global
    log stdout format raw local0

defaults
    mode http
    contimeout 5s
    clitimeout 30s
    srvtimeout 30s

frontend www
    bind 127.0.0.1:8080
    block if { src 192.0.2.1 }
    http-request set-header X-Seen 1
    reqrep ^Host:\\ (.*)\\.old\\.example Host:\\ \\1.example
    reqdel ^X-Debug:.*
    reqidel ^X-Trace:
    reqadd X-Forwarded-Proto:\\ https
    rspdel ^Server:
    rsprep ^Location:\\ http://(.*) Location:\\ https://\\1
    rspadd Strict-Transport-Security:\\ max-age=31536000
    default_backend app

backend app
    redispatch
    option forceclose
    server s1 127.0.0.1:8081
`;

for (const v of toolVersions('haproxy').filter((t) => t.target !== '2.6')) {
  test(`every exact 1.x filter rewrite is accepted by ${label(v)}`, () => {
    requireVersions(['haproxy']);
    const dir = fs.mkdtempSync(path.join(scratch, 'filters-'));
    const file = path.join(dir, 'haproxy.cfg');
    fs.writeFileSync(file, FILTERS);
    assert.ok(!accepts(v, runHaproxy(v, file)), 'the 1.x file is refused as written');
    const plan = planUpgrade({ files: [{ file, language: 'haproxy' }], manifests: [] }, { haproxyVersion: '2.6' }, v.target, new NodeSourceHost());
    const planned = plan.files.find((f) => f.file === file)!;
    const manual = planned.items.filter((i) => !i.rewrite).map((i) => i.diagnostic.message);
    assert.deepEqual(manual, [], 'every legacy line has a rewrite');
    fs.writeFileSync(file, planned.after);
    const r = runHaproxy(v, file);
    assert.ok(accepts(v, r), `the rewritten file is refused:\n${planned.after}\n${r.output}`);
    assert.match(planned.after, /^ {4}http-request replace-header Host '\^\(\.\*\)\\\.old\\\.example' '\\1\.example'$/m);
    assert.match(planned.after, /^ {4}http-response add-header Strict-Transport-Security max-age=31536000$/m);
    assert.match(planned.after, /^ {4}http-request deny if \{ src 192\.0\.2\.1 \}$/m);
  });
}
