// haproxy/syntax (lexing and `.if` structure) and haproxy/missing-final-newline.
import { lineRange } from '../../core/range';
import type { Rule } from '../../core/rule';
import type { RuleContext } from './context';
import { META } from './meta';

export function checkSyntax(ctx: RuleContext): void {
  const { doc } = ctx;
  for (const i of doc.lexIssues) ctx.report('haproxy/syntax', lineRange(i.line, i.start, i.end), i.message);
  for (const i of doc.structureIssues) ctx.report('haproxy/syntax', lineRange(i.line, i.start, i.end), i.message);
}

export function checkFinalNewline(ctx: RuleContext): void {
  const { doc } = ctx;
  const m = doc.missingNewline;
  if (m) {
    const at = lineRange(m.line, m.character, m.character);
    ctx.report(
      'haproxy/missing-final-newline',
      lineRange(m.line, 0, m.character),
      'the last line does not end with a newline; HAProxy 2.6 refuses such a file as possibly truncated. Add a newline at the end',
      { fixes: [{ title: 'Add the final newline', edits: [{ range: at, newText: '\n' }], mechanical: true }] },
    );
  }
}

/** What the lexer and the `.if` structure found (the parser records it; this rule reports it). */
export const syntaxRule: Rule<RuleContext> = { meta: META['haproxy/syntax'], check: checkSyntax };

export const finalNewlineRule: Rule<RuleContext> = { meta: META['haproxy/missing-final-newline'], check: checkFinalNewline };
