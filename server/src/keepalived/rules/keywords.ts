// keepalived/unknown-keyword: every statement in a keyword block must be a keyword of that block.
import { compareVersions, didYouMean } from '../../core/schema';
import { childBlock, getSchema, isKnownKind, keywordIn, keywordNames, ROOT_KIND } from '../keywords';
import type { RuleContext } from './context';

export function checkUnknownKeywords(ctx: RuleContext): void {
  for (const st of ctx.doc.statements) {
    const kind = st.parent.kind;
    if (kind === undefined || st.parent.value || !isKnownKind(kind)) continue;
    const w = st.words[0];
    const known = keywordIn(kind, w.text);
    if (known?.added && ctx.version && compareVersions(ctx.version, known.added) < 0) {
      // keepalived 2.2 reads a keyword of 2.3 as unknown (`keepalived -t` exits non-zero): measured, docs/parity.md.
      ctx.report(
        'keepalived/unknown-keyword',
        st.file,
        w.range,
        `\`${w.text}\` only exists from keepalived ${known.added} (${ctx.versionNote}); keepalived ${ctx.version} ignores the line and \`keepalived -t\` fails. Remove it or upgrade keepalived.`,
      );
      continue;
    }
    if (known) continue;
    const names = keywordNames(kind);
    // `garp_master_delay` in global_defs is spelled `vrrp_garp_master_delay` there.
    const guess = (keywordIn(kind, `vrrp_${w.text}`) ? `vrrp_${w.text}` : undefined) ?? didYouMean(w.text, names);
    const where = kind === ROOT_KIND ? 'at the top level' : `inside ${kind}`;
    const elsewhere = kind !== ROOT_KIND && childBlock(ROOT_KIND, w.text) ? ` (\`${w.text}\` is a top-level block: a \`}\` is probably missing or misplaced above)` : '';
    const homes =
      guess || elsewhere
        ? []
        : [
            ...new Set(
              getSchema()
                .keywords.filter((k) => k.name === w.text)
                .flatMap((k) => k.sections),
            ),
          ];
    const hint = guess
      ? `; did you mean \`${guess}\`?`
      : elsewhere
        ? ''
        : homes.length
          ? `; it belongs in ${homes.join(' or ')}, and keepalived ignores it here.`
          : '; keepalived ignores the line. Check the spelling or the block it sits in.';
    ctx.report('keepalived/unknown-keyword', st.file, w.range, `unknown keyword \`${w.text}\` ${where}${elsewhere}${hint}`, {
      fixes: guess && !w.expanded ? [{ title: `Replace with \`${guess}\``, edits: [{ range: w.range, newText: guess }] }] : undefined,
    });
  }
}
