// corosync/crypto-requires-knet and corosync/bindnetaddr-ignored.
import type { RuleMeta } from '../../core/types';
import type { KeyNode } from '../parser';
import { deleteLine, type RuleContext } from './context';
import type { Rule } from '../../core/rule';
import { invalidValueRule } from './keys';

export const cryptoRequiresKnetRule: RuleMeta = {
  code: 'corosync/crypto-requires-knet',
  defaultSeverity: 'error',
  summary: 'Encryption or authentication (crypto_cipher, crypto_hash, secauth: on) with the udp or udpu transport.',
  rationale: 'Only knet can encrypt in corosync 3; with udp/udpu the daemon refuses to start. Traffic between the nodes would otherwise silently travel in clear.',
  example: 'totem {\n    transport: udpu\n    crypto_cipher: aes256\n    crypto_hash: sha256\n}',
};

export const bindnetaddrIgnoredRule: RuleMeta = {
  code: 'corosync/bindnetaddr-ignored',
  defaultSeverity: 'warning',
  summary: '`bindnetaddr` in an interface block while a nodelist exists.',
  rationale: "With a nodelist corosync binds to the local node's ring address and ignores bindnetaddr (with a warning); the line misleads whoever edits the file next.",
  example: 'totem {\n    interface {\n        bindnetaddr: 10.0.0.0\n    }\n}\nnodelist { … }',
  fix: 'Deletes the bindnetaddr line.',
  fixAll: true,
};

export function checkCrypto(ctx: RuleContext): void {
  const { model } = ctx;
  if (model.transport !== 'udp' && model.transport !== 'udpu') return;
  const offenders: KeyNode[] = [];
  const secauth = model.last.get('totem.secauth');
  // secauth: on stands for aes256 + sha256 wherever the explicit key is absent (totem_get_crypto).
  for (const name of ['crypto_cipher', 'crypto_hash']) {
    const k = model.last.get(`totem.${name}`);
    if (k) {
      if (k.value.text !== 'none') offenders.push(k);
    } else if (secauth?.value.text === 'on' && !offenders.includes(secauth)) offenders.push(secauth);
  }
  for (const k of offenders) {
    const what = k.key.text === 'secauth' ? 'secauth: on (aes256 + sha256)' : `${k.key.text}: ${k.value.text}`;
    ctx.report(
      'crypto-requires-knet',
      k.range,
      `${what} needs the knet transport, but transport is ${model.transport}; corosync refuses to start. Switch to 'transport: knet' (with nodeids) or set it to none.`,
      {
        related: model.transportKey ? [ctx.rel(model.transportKey.range, 'transport')] : undefined,
      },
    );
  }
}

/** udp and udpu carry a single link; corosync refuses ring1_addr and above with them. */
export function checkLinksNeedKnet(ctx: RuleContext): void {
  const { model } = ctx;
  if (model.transport !== 'udp' && model.transport !== 'udpu') return;
  for (const n of model.nodes) {
    for (const [name, k] of n.keys) {
      if (!/^ring[1-7]_addr$/.test(name)) continue;
      ctx.report(
        'invalid-value',
        k.key.range,
        `${name} adds a second link, but transport ${model.transport} supports only one (corosync refuses to start: "too many configured interfaces"). Use transport knet for redundant links, or delete ${name}; rrp_mode no longer exists.`,
        {
          related: model.transportKey ? [ctx.rel(model.transportKey.range, 'transport')] : undefined,
        },
      );
      return;
    }
  }
}

export function checkBindnetaddr(ctx: RuleContext): void {
  const { model } = ctx;
  const firstNode = model.nodes.find((n) => n.keys.has('ring0_addr'));
  if (!firstNode) return;
  for (const k of model.all.get('totem.interface.bindnetaddr') ?? []) {
    ctx.report('bindnetaddr-ignored', k.range, `bindnetaddr is ignored because a nodelist exists: corosync binds to the local node's ring address instead. Delete this line.`, {
      related: [ctx.rel(firstNode.section.name.range, 'nodelist node')],
      fixes: [{ ...deleteLine('Delete bindnetaddr', k.range.start.line), mechanical: true }],
    });
  }
}

export const cryptoCheck: Rule<RuleContext> = { meta: cryptoRequiresKnetRule, check: checkCrypto };

/** A second link on a transport that has one: reported as corosync/invalid-value. */
export const linksCheck: Rule<RuleContext> = { name: 'corosync links need knet', meta: invalidValueRule, check: checkLinksNeedKnet };

export const bindnetaddrCheck: Rule<RuleContext> = { meta: bindnetaddrIgnoredRule, check: checkBindnetaddr };
