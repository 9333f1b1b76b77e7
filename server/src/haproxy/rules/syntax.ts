// haproxy/syntax (lexing and `.if` structure) and haproxy/missing-final-newline.
import { lineRange } from '../../core/range';
import type { RuleContext } from './context';

export function checkSyntax(ctx: RuleContext): void {
  const { doc } = ctx;
  for (const i of doc.lexIssues) ctx.report('haproxy/syntax', 'error', lineRange(i.line, i.start, i.end), i.message);
  for (const i of doc.structureIssues) ctx.report('haproxy/syntax', 'error', lineRange(i.line, i.start, i.end), i.message);
  const m = doc.missingNewline;
  if (m) {
    const at = lineRange(m.line, m.character, m.character);
    ctx.report(
      'haproxy/missing-final-newline',
      'error',
      lineRange(m.line, 0, m.character),
      'the last line does not end with a newline; HAProxy 2.6 refuses such a file as possibly truncated. Add a newline at the end',
      { fixes: [{ title: 'Add the final newline', edits: [{ range: at, newText: '\n' }] }] },
    );
  }
}
