import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { addLaterKeywords, buildSchema } from '../../scripts/gen-keepalived-schema';
import { childBlock, getSchema, isValueKind, keywordIn, keywordNames } from '../../server/src/keepalived/keywords';

const MAN = '/usr/share/man/man5/keepalived.conf.5.gz';

test('the committed schema is what the generator makes from the installed man page (plus the 2.3 keywords it keeps)', () => {
  if (!fs.existsSync(MAN)) throw new Error(`${MAN} is missing: apt-get install keepalived`);
  const fresh = buildSchema(zlib.gunzipSync(fs.readFileSync(MAN)).toString('utf8'), MAN);
  const committed = JSON.parse(fs.readFileSync(require.resolve('../../server/data/keepalived.json'), 'utf8'));
  // Without the Debian roots' man pages the generator carries the keywords added in 2.3 over from the committed file.
  addLaterKeywords(fresh, [], committed);
  fresh.generatedFrom = committed.generatedFrom;
  assert.deepEqual(JSON.parse(JSON.stringify(fresh)), committed);
});

test('keywords added in keepalived 2.3 carry added: 2.3 (measured: 2.2.7 refuses json_version, 2.3.3/2.3.4 accept it)', () => {
  const added = getSchema().keywords.filter((k) => k.added);
  assert.ok(added.length >= 15, `${added.length} keywords added in 2.3`);
  assert.ok(added.every((k) => k.added === '2.3'));
  for (const name of ['json_version', 'use_symlink_paths', 'iproute_usr_dir', 'v3_checksum_as_v2'])
    assert.ok(
      added.some((k) => k.name === name),
      name,
    );
  assert.equal(getSchema().keywords.find((k) => k.name === 'router_id')?.added, undefined);
});

test('schema: version, size and the block kinds the rules rely on', () => {
  const s = getSchema();
  assert.equal(s.language, 'keepalived');
  assert.equal(s.sourceVersion, '2.2.7');
  const names = new Set(s.keywords.map((k) => k.name));
  assert.ok(names.size >= 320 && names.size <= 360, `${names.size} keyword names`);
  const kinds = new Set(s.sections.map((k) => k.name));
  for (const k of [
    'global_defs',
    'vrrp_script',
    'vrrp_track_process',
    'vrrp_track_file',
    'vrrp_sync_group',
    'vrrp_instance',
    'virtual_ipaddress',
    'virtual_ipaddress_excluded',
    'virtual_routes',
    'virtual_rules',
    'track_script',
    'track_interface',
    'track_process',
    'track_file',
    'unicast_peer',
    'authentication',
    'virtual_server',
    'real_server',
    'HTTP_GET',
    'SSL_GET',
    'TCP_CHECK',
    'MISC_CHECK',
    'SMTP_CHECK',
    'DNS_CHECK',
    'BFD_CHECK',
    'static_ipaddress',
    'static_routes',
    'linkbeat_interfaces',
    'url',
  ]) {
    assert.ok(kinds.has(k), k);
  }
  assert.ok(keywordNames('global_defs').length >= 120);
  assert.ok(keywordNames('vrrp_instance').length >= 60);
  assert.equal(keywordNames('vrrp_script').length, 8);
});

test('loader: lookups per block kind, block edges and argument shapes', () => {
  assert.deepEqual(keywordIn('vrrp_instance', 'state')?.args?.[0].values, ['MASTER', 'BACKUP']);
  assert.deepEqual(keywordIn('authentication', 'auth_type')?.args?.[0].values, ['PASS', 'AH']);
  const vrid = keywordIn('vrrp_instance', 'virtual_router_id')?.args?.[0];
  assert.deepEqual([vrid?.min, vrid?.max], [1, 255]);
  const w = keywordIn('vrrp_script', 'weight')?.args?.[0];
  assert.deepEqual([w?.min, w?.max], [-253, 253]);
  assert.ok(keywordIn('virtual_server', 'lvs_sched')?.args?.[0].values?.includes('wrr'));
  assert.equal(keywordIn('global_defs', 'state'), undefined);
  assert.equal(childBlock('root', 'track_file')?.kind, 'vrrp_track_file');
  assert.equal(childBlock('vrrp_instance', 'track_file')?.kind, 'track_file');
  assert.equal(childBlock('real_server', 'SSL_GET')?.kind, 'SSL_GET');
  assert.equal(childBlock('SSL_GET', 'url')?.kind, 'url');
  assert.ok(isValueKind('virtual_ipaddress'));
  assert.ok(!isValueKind('vrrp_instance'));
  // Checker-common keywords only where the 2.2.7 binary accepts them.
  assert.ok(keywordIn('TCP_CHECK', 'connect_port'));
  assert.ok(keywordIn('MISC_CHECK', 'delay_loop'));
  assert.equal(keywordIn('MISC_CHECK', 'connect_port'), undefined);
  assert.equal(keywordIn('FILE_CHECK', 'retry'), undefined);
});

test('deprecated keywords from the man page and the compatibility list', () => {
  assert.equal(keywordIn('root', 'vrrp_track_file')?.replacement, 'track_file');
  assert.ok(keywordIn('vrrp_instance', 'linkbeat_use_polling')?.deprecated);
  assert.ok(keywordIn('vrrp_instance', 'native_ipv6')?.deprecated);
  assert.ok(keywordIn('vrrp_sync_group', 'global_tracking')?.deprecated);
  assert.equal(keywordIn('root', 'linkbeat_use_polling')?.deprecated, undefined);
  assert.equal(keywordIn('HTTP_GET', 'nb_get_retry')?.replacement, 'retry');
  assert.equal(keywordIn('virtual_server', 'lb_algo')?.replacement, 'lvs_sched');
});
