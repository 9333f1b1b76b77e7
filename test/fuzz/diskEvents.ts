// The workspace model under file-system events (test/fuzz/disk.test.ts): keepalived configs whose includes (plain paths and
// patterns) point at files that are created, rewritten, made binary and deleted on disk, while some files
// are open in the editor. After any sequence, the model must report exactly what a fresh model reports for
// the final disk and buffers: an includer sees its includes come and go without a full re-check.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { Language } from '../../server/src/core/types';
import { WorkspaceModel } from '../../server/src/engine/model';
import { collectFiles } from '../../server/src/engine/collect';
import { compileAssociations, detectLanguage, type Association } from '../../server/src/engine/detect';
import { snapshot, writeWorkspace } from './incremental';

const START: Record<string, string> = {
  'n1/keepalived.conf': 'vrrp_instance VI_1 {\n    state MASTER\n    interface eth0\n    virtual_router_id 51\n    priority 100\n}\ninclude vips.conf\ninclude conf.d/*.conf\n',
  'n1/vips.conf': 'vrrp_script chk_vips {\n    script "/bin/true"\n}\n',
  'n1/conf.d/a.conf': 'vrrp_script chk_a {\n    script "/bin/true"\n}\n',
  'lb/haproxy.cfg': 'global\n    maxconn 100\n\ndefaults d1\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n',
  'lb/conf.d/10-front.cfg': 'frontend f1\n    bind 127.0.0.1:8080\n    default_backend b1\n',
  'lb/conf.d/20-back.cfg': 'backend b1\n    server s1 127.0.0.1:9001 check\n',
};

/** Files the operations touch: the starting ones, and some that do not exist yet. */
const PLACES = [
  'n1/keepalived.conf',
  'n1/vips.conf',
  'n1/conf.d/a.conf',
  'n1/conf.d/b.conf',
  'n1/conf.d/c.txt',
  'n1/extra.conf',
  'lb/haproxy.cfg',
  'lb/conf.d/10-front.cfg',
  'lb/conf.d/20-back.cfg',
  'lb/conf.d/30-more.cfg',
];

const BODIES = [
  'vrrp_script chk_x {\n    script "/bin/true"\n}\n',
  'vrrp_script chk_x {\n    script "/bin/true"\n    bogus_keyword 1\n}\n',
  'vrrp_instance VI_1 {\n    virtual_router_id 52\n}\n',
  'include extra.conf\n',
  'include ../vips.conf\n',
  'vrrp_script chk_bin {\u0000\n',
  '}\n',
  '',
  'backend b1\n    server s1 127.0.0.1:9001 check\n',
  'backend b2 from d1\n    server s2 127.0.0.1:9002 track b1/s1\n',
  'defaults d1\n    mode tcp\n    http-request deny\n',
  'frontend f2\n    bind 127.0.0.1:8081\n    http-request deny if { path_beg /x }\n    use_backend b2\n',
];

export type Op =
  | { kind: 'write'; place: number; body: number }
  | { kind: 'delete'; place: number }
  | { kind: 'open'; place: number; body: number }
  | { kind: 'close'; place: number }
  | { kind: 'deleteFolder'; folder: number }
  | { kind: 'associate'; list: number };

/** `haconf.files.associations` the user may switch between (the server then rescans in the background). */
const ASSOCIATIONS: Record<string, string>[] = [{}, { '*.txt': 'keepalived' }, { '*.conf': 'haproxy' }, { 'lb/conf.d/*.cfg': 'keepalived', 'n1/**/*.txt': 'haproxy' }];

/** Folders deleted whole (one event for the folder, as watchers report it). */
const FOLDERS = ['n1/conf.d', 'lb/conf.d'];

export const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), place: fc.nat(PLACES.length - 1), body: fc.nat(BODIES.length - 1) }),
  fc.record({ kind: fc.constant('delete' as const), place: fc.nat(PLACES.length - 1) }),
  fc.record({ kind: fc.constant('open' as const), place: fc.nat(PLACES.length - 1), body: fc.nat(BODIES.length - 1) }),
  fc.record({ kind: fc.constant('close' as const), place: fc.nat(PLACES.length - 1) }),
  fc.record({ kind: fc.constant('deleteFolder' as const), folder: fc.nat(FOLDERS.length - 1) }),
  fc.record({ kind: fc.constant('associate' as const), list: fc.nat(ASSOCIATIONS.length - 1) }),
);

export function run(ops: Op[], flushes: boolean[]): void {
  const { dir } = writeWorkspace(START);
  try {
    const live = new WorkspaceModel();
    live.scan([dir]);
    const open = new Map<string, { text: string; language: Language }>();
    const pending = new Set<string>();
    let step = 0;
    let associations: Association[] = [];
    for (const o of ops) {
      if (o.kind === 'associate') {
        // As the server does: known files change language or leave, then a background scan finds new ones.
        associations = compileAssociations(ASSOCIATIONS[o.list]);
        for (const f of live.setAssociations(associations)) pending.add(f);
        live.refresh([...pending]);
        pending.clear();
        const found = collectFiles([dir], undefined, { associations });
        const batch = found.files.flatMap((f) => {
          const read = live.host.readText(f.file);
          const language = read.ok ? (f.language ?? detectLanguage(f.file, read.text, associations)) : undefined;
          return read.ok && language ? [{ file: f.file, language, text: read.text }] : [];
        });
        live.addScanned(batch, found.manifests);
        continue;
      }
      if (o.kind === 'deleteFolder') {
        const folder = path.join(dir, FOLDERS[o.folder]);
        if (!fs.existsSync(folder)) continue;
        fs.rmSync(folder, { recursive: true });
        for (const f of live.diskChanged(folder, true)) pending.add(f);
        continue;
      }
      const file = path.join(dir, PLACES[o.place]);
      if (o.kind === 'write') {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, BODIES[o.body]);
        for (const f of live.diskChanged(file)) pending.add(f);
      } else if (o.kind === 'delete') {
        if (!fs.existsSync(file)) continue;
        fs.rmSync(file);
        for (const f of live.diskChanged(file, true)) pending.add(f);
      } else if (o.kind === 'open') {
        // An editor opens files of ours only (the client's document selector), with their language.
        const language = open.get(file)?.language ?? live.languageOf(file);
        if (!language) continue;
        open.set(file, { text: BODIES[o.body], language });
        if (live.setBuffer(file, BODIES[o.body], language)) pending.add(file);
      } else {
        if (!open.has(file)) continue;
        open.delete(file);
        live.closeBuffer(file);
        pending.add(file);
      }
      // As the server batches what arrives within its debounce: some events are checked together.
      if (flushes[step++ % flushes.length]) {
        live.refresh([...pending]);
        pending.clear();
      }
    }
    live.refresh([...pending]);
    // A fresh model of the same state: the disk, and the buffers still open (even of deleted files).
    const fresh = new WorkspaceModel();
    fresh.setAssociations(associations);
    for (const [f, b] of open) fresh.host.overlay.set(f, b.text);
    fresh.scan([dir]);
    for (const [f, b] of open) fresh.setBuffer(f, b.text, b.language);
    fresh.refresh([...open.keys()]);
    const all = [...new Set([...live.knownFiles(), ...fresh.knownFiles()])].sort();
    assert.deepEqual(snapshot(live, all), snapshot(fresh, all), 'after file-system events the model and a fresh scan disagree');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
