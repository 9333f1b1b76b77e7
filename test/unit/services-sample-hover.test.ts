// Hover over sample fetches, converters and ACL keywords wherever a statement holds a sample expression
// (services/sampleHover.ts): our description, the signature with argument names and kinds, the types,
// where the fetch can be used, the version status for the target and the manual anchor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hover } from '../../server/src/services';
import { workspace } from './services-helpers';
import { sampleManualLink } from '../../server/src/services/sampleDescriptions';
import { sampleMarkdown } from '../../server/src/services/sampleHover';

const CFG = `global
    log stdout format raw local0

defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s

frontend www
    bind :80
    acl is_api path_beg /api
    http-request set-header X-Host %[req.hdr(host),lower]
    http-request set-var(txn.h) req.hdr(host),host_only,reverse_dom
    use_backend web if { hdr_sub(user-agent) -i bot } || { src 10.0.0.0/8 }
    http-request deny if !LOCALHOST METH_POST
    log-format "%ci %[ssl_fc_sni] %[date,http_date]"
    default_backend web

backend web
    server s1 10.0.0.1:80
`;

function at(text: string, line: number, needle: string, delta = 1): { line: number; character: number } {
  const col = text.split('\n')[line].indexOf(needle);
  assert.ok(col >= 0, `${needle} on line ${line}`);
  return { line, character: col + delta };
}

test('hover: an ACL match-suffix keyword names its fetch and match method', () => {
  const w = workspace({ 'haproxy.cfg': CFG });
  try {
    const h = hover(w.model, w.file('haproxy.cfg'), at(CFG, 11, 'path_beg'))!;
    assert.ok(h, 'a hover on path_beg');
    assert.match(h.markdown, /\*\*`path_beg`\*\* — ACL keyword: `path` matched with `-m beg`/);
    assert.match(h.markdown, /Prefix match/);
    assert.match(h.markdown, /`path`: Returns the path of the request URI/);
    assert.match(h.markdown, /https:\/\/docs\.haproxy\.org\/3\.0\/configuration\.html#7\.3\.6-path/);
    assert.match(h.markdown, /Usable in: request rules/);
    const col = CFG.split('\n')[11].indexOf('path_beg');
    assert.deepEqual(h.range, { start: { line: 11, character: col }, end: { line: 11, character: col + 8 } });
    const sub = hover(w.model, w.file('haproxy.cfg'), at(CFG, 14, 'hdr_sub'))!;
    assert.match(sub.markdown, /`req\.hdr` matched with `-m sub`/);
    assert.match(sub.markdown, /Substring match/);
    assert.match(sub.markdown, /Syntax: `hdr_sub\(\[<name>\[,<occ>\]\]\) <pattern> …`/);
  } finally {
    w.cleanup();
  }
});

test('hover: fetch and converter inside %[…], in an action expression and in log-format', () => {
  const w = workspace({ 'haproxy.cfg': CFG });
  try {
    const f = w.file('haproxy.cfg');
    const fetch = hover(w.model, f, at(CFG, 12, 'req.hdr'))!;
    assert.match(fetch.markdown, /\*\*`req\.hdr`\*\* — sample fetch, layer 7 \(HTTP\)/);
    assert.match(fetch.markdown, /Syntax: `req\.hdr\(\[<name>\[,<occ>\]\]\)`/);
    assert.match(fetch.markdown, /- `name` \(string, optional\): header name/);
    assert.match(fetch.markdown, /Returns: string/);
    assert.match(fetch.markdown, /#7\.3\.6-req\.hdr/);
    const lower = hover(w.model, f, at(CFG, 12, 'lower'))!;
    assert.match(lower.markdown, /\*\*`lower`\*\* — converter/);
    assert.match(lower.markdown, /Input → output: string → string/);
    assert.match(lower.markdown, /#7\.3\.1-lower/);
    const hostOnly = hover(w.model, f, at(CFG, 13, 'host_only'))!;
    assert.match(hostOnly.markdown, /Removes a port/);
    assert.match(hostOnly.markdown, /available in 3\.0 \(your target\)/);
    const newer = hover(w.model, f, at(CFG, 13, 'reverse_dom'))!;
    assert.match(newer.markdown, /added in 3\.4 · \*\*not available in 3\.0\*\* \(your target\)/);
    assert.match(newer.markdown, /docs\.haproxy\.org\/3\.4\/configuration\.html#7\.3\.1-reverse_dom/, 'the closest manual that documents it');
    const sni = hover(w.model, f, at(CFG, 16, 'ssl_fc_sni'))!;
    assert.match(sni.markdown, /server name \(SNI\)/);
    assert.match(sni.markdown, /layer 5/);
    const httpDate = hover(w.model, f, at(CFG, 16, 'http_date'))!;
    assert.match(httpDate.markdown, /Formats a Unix timestamp as an HTTP date/);
    const src = hover(w.model, f, at(CFG, 14, 'src '))!;
    assert.match(src.markdown, /\*\*`src`\*\* — sample fetch, layer 4/);
    assert.match(src.markdown, /`tcp-request connection`/);
  } finally {
    w.cleanup();
  }
});

test('hover: outside expressions nothing changes (keywords, ACL names, patterns)', () => {
  const w = workspace({ 'haproxy.cfg': CFG });
  try {
    const f = w.file('haproxy.cfg');
    assert.match(hover(w.model, f, at(CFG, 11, 'acl'))!.markdown, /\*\*`acl`\*\*/);
    assert.equal(hover(w.model, f, at(CFG, 11, '/api')), undefined, 'a pattern is not a fetch');
    assert.equal(hover(w.model, f, at(CFG, 14, '-i')), undefined, 'a flag is not a fetch');
  } finally {
    w.cleanup();
  }
});

test('hover: a sample hover stays within the 10 ms hover budget once the descriptions are loaded', () => {
  const w = workspace({ 'haproxy.cfg': CFG });
  try {
    const f = w.file('haproxy.cfg');
    const spots = [at(CFG, 11, 'path_beg'), at(CFG, 12, 'req.hdr'), at(CFG, 12, 'lower'), at(CFG, 16, 'http_date')];
    for (const p of spots) assert.ok(hover(w.model, f, p), 'warm-up');
    const ms: number[] = [];
    for (let i = 0; i < 400; i++) {
      const t0 = performance.now();
      hover(w.model, f, spots[i % spots.length]);
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    const p95 = ms[Math.floor(ms.length * 0.95)];
    assert.ok(p95 < 10, `in-process sample hover p95 ${p95.toFixed(3)} ms (p50 ${ms[200].toFixed(3)})`);
  } finally {
    w.cleanup();
  }
});

test('manual links: the target version’s anchor, else the closest release, else the development manual', () => {
  assert.equal(sampleManualLink('fetch', 'req.hdr', '2.4')?.url, 'https://docs.haproxy.org/2.4/configuration.html#7.3.6-req.hdr');
  assert.equal(sampleManualLink('converter', 'lower', '3.2')?.url, 'https://docs.haproxy.org/3.2/configuration.html#7.3.1-lower');
  // 3.5 is the development branch: released chapters first, as keyword links do.
  assert.equal(sampleManualLink('fetch', 'src', '3.5')?.label, 'HAProxy 3.4 manual');
  // Only the development manual documents it yet.
  assert.equal(sampleManualLink('fetch', 'be_max_retries', '3.5')?.url, 'https://docs.haproxy.org/dev/configuration.html#7.3.3-be_max_retries');
  // Documented under the family heading only.
  assert.match(sampleManualLink('converter', 'map_beg_int', '3.0')!.url, /3\.0\/configuration\.html#7\.3\.1-map$/);
  assert.match(sampleManualLink('fetch', 'sc0_conn_rate', '3.0')!.url, /#7\.3\.3-sc0_conn_rate$/);
});

test('hover: a target older than the fetch data asks the manual of that version', () => {
  assert.match(sampleMarkdown('fetch', 'req.hdr', '2.4')!, /Versions: documented in the 2\.4 manual \(your target\)/);
  assert.match(sampleMarkdown('fetch', 'accept_date', '2.4')!, /Versions: added in 3\.0 · \*\*not in the 2\.4 manual\*\* \(your target\)/);
  assert.match(sampleMarkdown('converter', 'lower', '1.5')!, /no data for 1\.5 \(your target\): the fetch data starts at 2\.6/);
});

test('hover: a deprecated old spelling says so and names its replacement', () => {
  const md = sampleMarkdown('fetch', 'hdr_cnt', '3.2')!;
  assert.match(md, /Versions: deprecated \(so marked in every manual since 1\.8\), use `req\.hdr_cnt` instead · in every version/);
  assert.match(sampleMarkdown('fetch', 'req_len', '3.2')!, /use `req\.len` instead/);
  assert.doesNotMatch(sampleMarkdown('fetch', 'req.hdr', '3.2')!, /deprecated/);
});

test('hover: a predefined ACL in a condition', () => {
  const w = workspace({ 'haproxy.cfg': CFG });
  try {
    const f = w.file('haproxy.cfg');
    const post = hover(w.model, f, at(CFG, 15, 'METH_POST'))!;
    assert.match(post.markdown, /\*\*`METH_POST`\*\* — predefined ACL/);
    assert.match(post.markdown, /True for POST requests \(`method POST`\)/);
    assert.match(post.markdown, /docs\.haproxy\.org\/3\.0\/configuration\.html#7\.4\)/);
    const local = hover(w.model, f, at(CFG, 15, 'LOCALHOST'))!;
    assert.match(local.markdown, /clients on this machine/);
  } finally {
    w.cleanup();
  }
});
