import { formatState, groupTable, staysOnFailedNode } from '../failover';
import type { GroupMember } from '../groups';
import { rel, type ClusterReporter } from './context';

/** A failed check on the VIP holder must move the VIP; otherwise the VIP sits on a broken node. */
export function checkFailover(group: GroupMember[], r: ClusterReporter): void {
  const table = groupTable(group);
  const holder = table.initialHolder;
  if (!holder) return;
  const holderMember = group.find((m) => m.node.name === holder)!;
  for (const s of table.scenarios) {
    if (!staysOnFailedNode(table, s)) continue;
    const others = group.filter((m) => m.node.name !== holder);
    const best = others
      .map((m) => ({ m, st: s.states[m.node.name] }))
      .filter((x) => typeof x.st === 'number')
      .sort((a, b) => (b.st as number) - (a.st as number))[0];
    const track = holderMember.inst.tracks.find((t) => t.name === s.script);
    const loc = track?.loc ?? holderMember.inst.priority?.loc ?? holderMember.inst.loc;
    const blockedByNopreempt = Boolean(best && typeof best.st === 'number' && best.st > Number(s.states[holder]) && best.m.inst.nopreempt);
    const gap = best ? Number(table.scenarios[0].states[holder]) - Number(best.st) : 0;
    const advice = blockedByNopreempt
      ? 'nopreempt stops the backups from taking over a live holder; drop nopreempt, or use weight 0 so a failed check puts the holder in FAULT'
      : `the weight is smaller than the priority gap; make it move the priority by more than ${gap}, or use weight 0 to force FAULT`;
    const msg = best
      ? `when ${s.script} fails on ${holder}, ${holder} falls to ${formatState(s.states[holder])}, ${best.m.node.name} stays at ${formatState(best.st)}: the VIP stays on a node whose check failed: ${advice}`
      : `when ${s.script} fails on ${holder}, no other node can take the VIP`;
    r.report(
      'failover-blocked',
      loc,
      msg,
      others.map((m) => rel(m.inst.priority?.loc ?? m.inst.loc, `${m.node.name}: priority ${m.inst.priority?.value ?? 100}, ${formatState(s.states[m.node.name])} in this scenario`)),
    );
  }
}
