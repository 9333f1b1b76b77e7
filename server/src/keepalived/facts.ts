// Normalised facts for the cross-file rules (server/src/cluster): one entry per vrrp_instance.
import type { KeepalivedFacts, Loc, Located, VrrpInstanceFact, VrrpScriptFact } from '../core/facts';
import { parseCidr } from '../core/net';
import { blockName, blocksOf, childBlocks, lastIn, scriptDefs, statementsIn, trackEntries } from './model';
import type { KaBlock, KaStatement, KaWord, KeepalivedDoc } from './types';

const loc = (file: string, w: { range: KaWord['range'] }): Loc => ({ file, range: w.range });

function word(st: KaStatement | undefined): Located<string> | undefined {
  const w = st?.words[1];
  return st && w ? { value: w.text, loc: loc(st.file, w) } : undefined;
}

function num(st: KaStatement | undefined): Located<number> | undefined {
  const w = word(st);
  if (!w || !/^[-+]?\d+(\.\d+)?$/.test(w.value)) return undefined;
  return { value: Number(w.value), loc: w.loc };
}

function blockLoc(b: KaBlock | undefined): Loc | undefined {
  if (!b?.header) return undefined;
  const end = b.close?.end ?? b.header.range.end;
  return { file: b.header.file, range: { start: b.header.range.start, end } };
}

export function keepalivedFacts(doc: KeepalivedDoc): KeepalivedFacts {
  const scripts = new Map<string, VrrpScriptFact>();
  for (const [name, def] of scriptDefs(doc)) {
    const cmd = def.script?.words[1];
    scripts.set(name, {
      name,
      command: cmd && def.script ? { value: cmd.text, loc: loc(def.script.file, cmd) } : undefined,
      weight: def.weight,
      reverse: def.reverse,
      loc: loc(def.block.header?.file ?? doc.file, def.name),
    });
  }
  const groupOf = new Map<string, { name: string; trackingWeight: boolean }>();
  for (const g of blocksOf(doc, 'vrrp_sync_group')) {
    const name = blockName(g)?.text ?? '';
    const trackingWeight = statementsIn(g, 'sync_group_tracking_weight').length > 0;
    for (const members of childBlocks(g, 'vrrp_sync_group.group')) for (const line of members.children) for (const w of line.words) groupOf.set(w.text, { name, trackingWeight });
  }
  const globalVersion = blocksOf(doc, 'global_defs')
    .map((b) => lastIn(b, 'vrrp_version')?.words[1]?.text)
    .filter(Boolean)
    .pop();
  const instances: VrrpInstanceFact[] = [];
  for (const b of blocksOf(doc, 'vrrp_instance')) {
    const header = b.header!;
    const nameWord = blockName(b) ?? header.words[0];
    const s = (kw: string) => lastIn(b, kw);
    const auth = childBlocks(b, 'authentication').pop();
    const vipBlock = childBlocks(b, 'virtual_ipaddress')[0];
    const peerBlock = childBlocks(b, 'unicast_peer')[0];
    const vips: Located<string>[] = [];
    for (const vb of childBlocks(b, 'virtual_ipaddress')) {
      for (const line of vb.children) if (parseCidr(line.words[0].text)) vips.push({ value: line.words[0].text, loc: loc(line.file, line.words[0]) });
    }
    const peers: Located<string>[] = [];
    for (const pb of childBlocks(b, 'unicast_peer')) for (const line of pb.children) peers.push({ value: line.words[0].text, loc: loc(line.file, line.words[0]) });
    const group = groupOf.get(nameWord.text);
    const version = (s('version')?.words[1]?.text ?? globalVersion) === '3' ? 3 : 2;
    instances.push({
      file: header.file,
      name: nameWord.text,
      loc: blockLoc(b) ?? loc(header.file, nameWord),
      state: word(s('state')),
      priority: num(s('priority')),
      vrid: num(s('virtual_router_id')),
      advertInt: num(s('advert_int')),
      authType: auth ? word(lastIn(auth, 'auth_type')) : undefined,
      authPass: auth ? word(lastIn(auth, 'auth_pass')) : undefined,
      vips,
      vipBlock: blockLoc(vipBlock),
      iface: word(s('interface')),
      unicastSrcIp: word(s('unicast_src_ip')),
      unicastPeers: peers,
      unicastPeerBlock: blockLoc(peerBlock),
      nopreempt: statementsIn(b, 'nopreempt').length > 0,
      syncGroup: group?.name,
      syncGroupTrackingWeight: group?.trackingWeight ?? false,
      tracks: trackEntries(b)
        .filter((e) => e.kind === 'script')
        .map((e) => ({ name: e.name.text, ...(e.weight ? { weight: e.weight.value } : {}), ...(e.reverse !== undefined ? { reverse: e.reverse } : {}), loc: loc(e.statement.file, e.name) })),
      version,
    });
  }
  return { file: doc.file, instances, scripts };
}
