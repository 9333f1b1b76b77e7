// keepalived/nopreempt-master, nopreempt-with-weight, address-owner-weight, undefined-reference.
import { didYouMean } from '../../core/schema';
import { blockName, blocksOf, childBlocks, effectiveWeight, lastIn, trackEntries, type TrackKind } from '../model';
import type { KaBlock, KaStatement } from '../types';
import { related, type RuleContext } from './context';

/** Two statements can both apply on one host unless their `@id` conditions exclude each other. */
function compatible(a: KaStatement, b: KaStatement): boolean {
  if (!a.condition || !b.condition) return true;
  if (a.condition.id === b.condition.id) return a.condition.negate === b.condition.negate;
  return !(!a.condition.negate && !b.condition.negate);
}

function checkPreempt(ctx: RuleContext, inst: KaBlock): void {
  const nopreempt = lastIn(inst, 'nopreempt');
  const state = lastIn(inst, 'state');
  const priority = lastIn(inst, 'priority');
  const weighted = trackEntries(inst).filter((e) => (e.kind === 'script' || e.kind === 'process') && effectiveWeight(e, ctx.doc, ctx.scripts) !== 0);
  if (nopreempt && state?.words[1]?.text === 'MASTER' && compatible(nopreempt, state)) {
    const w = state.words[1];
    ctx.report(
      'keepalived/nopreempt-master',
      nopreempt.file,
      nopreempt.words[0].range,
      'nopreempt has no effect with `state MASTER`: keepalived clears it and the instance preempts. Use `state BACKUP` on every node with nopreempt.',
      {
        related: related(state, 'initial state MASTER'),
        fixes: w.expanded ? undefined : [{ title: 'Set state BACKUP', file: state.file, edits: [{ range: w.range, newText: 'BACKUP' }], mechanical: true }],
      },
    );
  }
  if (nopreempt && weighted.length && !(state?.words[1]?.text === 'MASTER')) {
    const e = weighted[0];
    ctx.report(
      'keepalived/nopreempt-with-weight',
      nopreempt.file,
      nopreempt.words[0].range,
      `nopreempt with weighted tracking (${weighted.map((x) => x.name.text).join(', ')}): a failing check lowers this node's priority, but with nopreempt the backup never takes over, so the VIP stays on the broken node. Use weight 0 (FAULT on failure) or drop nopreempt.`,
      {
        related: related(e.statement, 'weighted tracking'),
      },
    );
  }
  if (priority?.words[1]?.text === '255' && weighted.length) {
    ctx.report(
      'keepalived/address-owner-weight',
      priority.file,
      priority.words[1].range,
      `priority 255 makes this node the address owner, whose priority never changes: keepalived ignores the weights of ${weighted.map((x) => x.name.text).join(', ')}, so a failing check never moves the VIP. Use a priority of 254 or lower.`,
      {
        related: weighted.slice(0, 5).map((x) => ({ file: x.statement.file, range: x.statement.range, message: 'weight ignored' })),
      },
    );
  }
}

const DEFINERS: Record<TrackKind, string[]> = {
  script: ['vrrp_script'],
  process: ['vrrp_track_process'],
  file: ['vrrp_track_file'],
  bfd: ['bfd_instance'],
  interface: [],
};

const DEF_KEYWORD: Record<TrackKind, string> = { script: 'vrrp_script', process: 'vrrp_track_process', file: 'track_file', bfd: 'bfd_instance', interface: '' };

function checkReferences(ctx: RuleContext): void {
  // The definition may sit in an include that matched nothing here (e.g. checked away from the host).
  const missing = ctx.doc.includes.find((i) => i.files.length === 0);
  // Reported as the 'maybe-in-include' variant (a warning) then.
  const variant = missing ? { variant: 'maybe-in-include' } : {};
  const maybe = missing ? ` It may be defined in \`${missing.pattern}\`, which matched no file here.` : '';
  const names = new Map<string, Set<string>>();
  const nameSet = (kind: string): Set<string> => {
    let s = names.get(kind);
    if (!s) {
      s = new Set(
        blocksOf(ctx.doc, kind)
          .map((b) => blockName(b)?.text)
          .filter((x): x is string => !!x),
      );
      names.set(kind, s);
    }
    return s;
  };
  // One union per definer list, built once: rebuilding it per track entry made big files quadratic.
  const unions = new Map<readonly string[], Set<string>>();
  const definedBy = (kinds: readonly string[]): Set<string> => {
    let u = unions.get(kinds);
    if (!u) unions.set(kinds, (u = new Set(kinds.flatMap((k) => [...nameSet(k)]))));
    return u;
  };
  const owners = [...blocksOf(ctx.doc, 'vrrp_instance'), ...blocksOf(ctx.doc, 'vrrp_sync_group')];
  for (const owner of owners) {
    for (const e of trackEntries(owner)) {
      const kinds = DEFINERS[e.kind];
      if (!kinds.length) continue;
      const defined = definedBy(kinds);
      if (defined.has(e.name.text)) continue;
      const guess = didYouMean(e.name.text, defined);
      ctx.report(
        'keepalived/undefined-reference',
        e.statement.file,
        e.name.range,
        `${e.block.header?.words[0].text ?? 'track'} names \`${e.name.text}\`, but no \`${DEF_KEYWORD[e.kind]} ${e.name.text}\` is defined; keepalived ignores the entry, so this check never affects failover.${guess ? ` Did you mean \`${guess}\`?` : ''}${maybe}`,
        {
          ...variant,
          related: related(e.block.header, `in this ${e.block.header?.words[0].text ?? 'block'}`),
          fixes: guess && !e.name.expanded ? [{ title: `Replace with \`${guess}\``, edits: [{ range: e.name.range, newText: guess }] }] : undefined,
        },
      );
    }
  }
  const instances = nameSet('vrrp_instance');
  for (const group of blocksOf(ctx.doc, 'vrrp_sync_group')) {
    for (const members of childBlocks(group, 'vrrp_sync_group.group')) {
      for (const line of members.children) {
        for (const w of line.words) {
          if (instances.has(w.text)) continue;
          const guess = didYouMean(w.text, instances);
          ctx.report(
            'keepalived/undefined-reference',
            line.file,
            w.range,
            `vrrp_sync_group ${blockName(group)?.text ?? ''} lists \`${w.text}\`, which is not a vrrp_instance; keepalived drops it from the group.${guess ? ` Did you mean \`${guess}\`?` : ''}${maybe}`,
            {
              ...variant,
              related: related(group.header, 'sync group'),
              fixes: guess && !w.expanded ? [{ title: `Replace with \`${guess}\``, edits: [{ range: w.range, newText: guess }] }] : undefined,
            },
          );
        }
      }
    }
  }
  const files = nameSet('vrrp_track_file');
  for (const checker of blocksOf(ctx.doc, 'FILE_CHECK')) {
    const st = lastIn(checker, 'track_file');
    const w = st?.words[1];
    if (st && w && !files.has(w.text)) {
      ctx.report('keepalived/undefined-reference', st.file, w.range, `FILE_CHECK tracks \`${w.text}\`, but no \`track_file ${w.text}\` is defined; the checker never changes state.${maybe}`, {
        ...variant,
        related: related(checker.header, 'FILE_CHECK'),
      });
    }
  }
}

export function checkVrrp(ctx: RuleContext): void {
  for (const inst of blocksOf(ctx.doc, 'vrrp_instance')) checkPreempt(ctx, inst);
  checkReferences(ctx);
}
