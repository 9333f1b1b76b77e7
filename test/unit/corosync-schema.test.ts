import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSchema, extractCorosyncConf, extractVotequorum } from '../../scripts/gen-corosync-schema';
import { childSections, getSchema, homesOf, isLegacy, keySpec, keysOf, sectionSpec } from '../../server/src/corosync/keywords';

const MAN_DIR = '/usr/share/man/man5';

test('server/data/corosync.json is what the generator produces from the installed man pages', () => {
  for (const f of ['corosync.conf.5.gz', 'votequorum.5.gz']) {
    assert.ok(fs.existsSync(path.join(MAN_DIR, f)), `${f} is missing: install the Debian package corosync (3.1.7)`);
  }
  const committed = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'server', 'data', 'corosync.json'), 'utf8'));
  assert.deepEqual(JSON.parse(JSON.stringify(buildSchema(MAN_DIR))), committed);
  assert.equal(committed.sourceVersion, '3.1.7');
});

test('the seven top-level sections and the nested ones are known', () => {
  const top = [...childSections('').entries()]
    .filter(([, s]) => !isLegacy(s))
    .map(([n]) => n)
    .sort();
  for (const s of ['logging', 'nodelist', 'nozzle', 'quorum', 'resources', 'system', 'totem']) assert.ok(top.includes(s), s);
  for (const p of ['nodelist.node', 'totem.interface', 'logging.logger_subsys', 'quorum.device', 'quorum.device.net']) {
    assert.ok(sectionSpec(p), p);
  }
  assert.equal(sectionSpec('quorom'), undefined);
});

test('value shapes: transport, crypto enums, votequorum flags, integers, addresses', () => {
  assert.deepEqual(keySpec('totem', 'transport')?.args?.[0].values, ['knet', 'udp', 'udpu']);
  assert.deepEqual(keySpec('totem', 'crypto_cipher')?.args?.[0].values, ['none', 'aes256', 'aes192', 'aes128']);
  assert.ok(keySpec('totem', 'crypto_hash')?.args?.[0].values?.includes('sha512'));
  const twoNode = keySpec('quorum', 'two_node')?.args?.[0];
  assert.equal(twoNode?.type, 'bool');
  assert.equal(twoNode?.max, 255);
  assert.deepEqual(keySpec('system', 'sched_rr')?.args?.[0].values, ['yes', 'no']);
  assert.equal(keySpec('totem', 'token')?.args?.[0].max, 4294967295);
  assert.equal(keySpec('totem.interface', 'mcastport')?.args?.[0].max, 65535);
  assert.equal(keySpec('nodelist.node', 'ring0_addr')?.args?.[0].type, 'address');
  assert.equal(keySpec('nodelist.node', 'ring7_addr')?.args?.[0].type, 'address');
  assert.equal(keySpec('nodelist.node', 'ring8_addr'), undefined);
  assert.equal(keySpec('logging.logger_subsys', 'subsys')?.name, 'subsys');
  assert.equal(keySpec('logging.logger_subsys', 'timestamp'), undefined, 'timestamp is top-level logging only');
});

test('legacy keys carry version facts and replacements', () => {
  const rrp = keySpec('totem', 'rrp_mode');
  assert.equal(rrp?.removed, '3.0');
  assert.equal(rrp?.replacement, 'link_mode');
  assert.equal(sectionSpec('service')?.removed, '3.0');
  assert.equal(keySpec('totem', 'token')?.removed, undefined);
});

test('counts: enough keys per section and every key has a summary', () => {
  assert.ok(keysOf('totem').size >= 40, `totem has ${keysOf('totem').size}`);
  assert.ok(keysOf('quorum').size >= 10);
  assert.ok(keysOf('totem.interface').size >= 11);
  for (const k of getSchema().keywords) assert.ok(k.summary && k.summary.length > 5, `${k.sections[0]}.${k.name}`);
  assert.deepEqual(homesOf('token'), ['totem']);
});

test('the roff readers follow "Within the .B section" switches and example blocks', () => {
  const found = { sections: new Set<string>(), keys: new Map<string, string[]>() };
  extractCorosyncConf(['.TP', 'totem { }', 'Within the', '.B totem', 'directive', '.TP', 'token', 'text', '.TP', 'ringX_addr', 'Within the', '.B nodelist', 'x', '.TP', 'nodeid'], found);
  assert.deepEqual(found.keys.get('totem'), ['token', ...Array.from({ length: 8 }, (_, i) => `ring${i}_addr`)]);
  assert.deepEqual(found.keys.get('nodelist.node'), ['nodeid']);
  extractVotequorum(['.B wait_for_all: 1', '.nf', 'quorum {', '    two_node: 1', '}', 'nodelist {', '    node {', '        quorum_votes: 3', '    }', '}', '.fi'], found);
  assert.deepEqual(found.keys.get('quorum'), ['wait_for_all', 'two_node']);
  assert.deepEqual(found.keys.get('nodelist.node'), ['nodeid', 'quorum_votes']);
});
