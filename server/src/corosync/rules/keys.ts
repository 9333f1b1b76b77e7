// corosync/syntax, corosync/unknown-key and corosync/invalid-value: the per-line checks.
import type { Range, RuleMeta, TextEdit } from '../../core/types';
import { didYouMean } from '../../core/schema';
import type { KeywordSpec } from '../../core/schema';
import { lineRange } from '../../core/range';
import type { KeyNode, SectionNode } from '../parser';
import { childSections, homesOf, isLegacy, isOpenSection, isPatternKey, keySpec, keysOf } from '../keywords';
import { checkValue } from '../values';
import { replace, type RuleContext } from './context';
import type { Rule } from '../../core/rule';

/** Legacy keys renamed with the same values (rrp_mode → link_mode and crypto_type → crypto_cipher take other values). */
const SAME_VALUE_RENAMES = new Set(['linknumber', 'to_logfile', 'syslog_priority']);

export const syntaxRule: RuleMeta = {
  code: 'corosync/syntax',
  defaultSeverity: 'error',
  summary: 'A line corosync cannot parse: unbalanced braces, text after `{`, a line without a colon, an over-long line.',
  rationale: 'corosync stops reading at the first malformed line and refuses to start, so the node never joins the cluster.',
  example: 'totem { version: 2 }\ntwo_node 1',
  fix: 'Adds the missing colon, removes a stray `}`, or adds a missing `}`.',
};

export const unknownKeyRule: RuleMeta = {
  code: 'corosync/unknown-key',
  defaultSeverity: 'warning',
  summary: 'A key or section corosync 3.1.7 does not know, or one only older releases used.',
  rationale:
    'corosync stores unknown names without complaint (`corosync -t` exits 0 on 3.1.7, 3.1.9, 3.1.10), so a typo such as `quorom {` silently drops the whole quorum configuration: a warning, since the daemon starts. Settings of corosync 1.x/2.x (service, rrp_mode, threads…) are accepted but do nothing.',
  example: 'quorom {\n    provider: corosync_votequorum\n}',
  fix: 'Replaces a misspelt name with the closest known one, or a renamed key with its new name (ringnumber → linknumber, to_file → to_logfile and syslog_level → syslog_priority are exact and in Fix all).',
  fixAll: 'some',
  variants: {
    legacy: { severity: 'warning', when: 'the name is a setting of corosync 1.x/2.x that 3.x accepts but ignores (or a deprecated one)' },
  },
};

export const invalidValueRule: RuleMeta = {
  code: 'corosync/invalid-value',
  defaultSeverity: 'error',
  summary: 'A value of the wrong shape: not an integer, out of range, not one of the accepted words, not an address.',
  rationale:
    'corosync has no trailing comments and compares words exactly, so `token: 3000 # ms` or `to_syslog: true` stop the daemon from starting; a few switches instead silently fall back to their default.',
  example: 'quorum {\n    two_node: 1 # two nodes\n}',
  fix: 'Replaces the value with the evident intended one (the number before a trailing comment, the right-case word).',
};

export function checkSyntax(ctx: RuleContext): void {
  for (const i of ctx.model.doc.issues) ctx.report('syntax', i.range, i.message, { fixes: i.fixes });
}

function displayPath(path: string): string {
  return path === '' ? 'at the top level' : `in '${path}'`;
}

function legacyText(spec: KeywordSpec): string {
  const when = spec.removed ? `was dropped in corosync ${spec.removed} and is ignored by 3.1.7` : `is deprecated since corosync ${spec.deprecated}`;
  return spec.replacement ? `${when}; use ${spec.replacement} instead` : `${when}; delete it`;
}

function checkSection(ctx: RuleContext, s: SectionNode): boolean {
  const parentPath = s.parent?.path ?? '';
  if (isOpenSection(parentPath)) return false;
  const spec = childSections(parentPath).get(s.name.text);
  if (spec && isLegacy(spec)) {
    ctx.report('unknown-key', s.name.range, `section '${s.name.text}' ${displayPath(parentPath)} ${legacyText(spec)}.`, { variant: 'legacy' });
    return false;
  }
  if (spec) return true;
  if (s.name.text === '') return false; // already a syntax error
  const guess = didYouMean(
    s.name.text,
    [...childSections(parentPath).keys()].filter((n) => !isLegacy(childSections(parentPath).get(n)!)),
  );
  const elsewhere = guess ? undefined : sectionHome(s.name.text);
  ctx.report(
    'unknown-key',
    s.name.range,
    `unknown section '${s.name.text}' ${displayPath(parentPath)}; corosync keeps it but nothing reads it${guess ? ` (did you mean '${guess}'?)` : elsewhere ? `; '${s.name.text}' belongs in '${elsewhere}'` : ''}.`,
    guess ? { fixes: [replace(`Rename to '${guess}'`, s.name.range, guess)] } : undefined,
  );
  return false;
}

function sectionHome(name: string): string | undefined {
  for (const parent of ['', 'totem', 'logging', 'quorum', 'nodelist', 'quorum.device', 'resources']) {
    if (childSections(parent).has(name)) return parent === '' ? 'the top level' : parent;
  }
  return undefined;
}

function checkKey(ctx: RuleContext, k: KeyNode): void {
  const path = k.sectionPath;
  if (isOpenSection(path) || isPatternKey(path, k.key.text)) return;
  const name = k.key.text;
  const full = path === '' ? name : `${path}.${name}`;
  const spec = keySpec(path, name);
  if (!spec) {
    if (name === '') {
      ctx.report('unknown-key', lineRange(k.range.start.line, k.key.range.start.character, k.value.range.start.character), `a key line needs a name before the colon.`);
      return;
    }
    const known = [...keysOf(path).entries()].filter(([, s]) => !isLegacy(s)).map(([n]) => n);
    const guess = didYouMean(name, known);
    const homes = homesOf(name).filter((h) => h !== path);
    const where = path === '' ? 'at the top level (keys belong inside a section)' : `in '${path}'`;
    ctx.report(
      'unknown-key',
      k.key.range,
      `unknown key '${name}' ${where}; corosync stores it but nothing reads it${guess ? ` (did you mean '${guess}'?)` : homes.length ? `; '${name}' belongs in ${homes.map((h) => `'${h}'`).join(' or ')}` : ''}.`,
      guess ? { fixes: [replace(`Rename to '${guess}'`, k.key.range, guess)] } : undefined,
    );
    return;
  }
  if (isLegacy(spec)) {
    const fixes =
      spec.replacement && /^[a-z_]+$/.test(spec.replacement)
        ? [{ ...replace(`Rename to '${spec.replacement}'`, k.key.range, spec.replacement), mechanical: SAME_VALUE_RENAMES.has(spec.replacement) }]
        : undefined;
    ctx.report('unknown-key', k.key.range, `'${full}' ${legacyText(spec)}.`, { variant: 'legacy', ...(fixes ? { fixes } : {}) });
  }
  const problem = checkValue(full, spec, k.value.text);
  if (problem) {
    const r = k.value.text === '' ? k.range : k.value.range;
    ctx.report('invalid-value', r, problem.message, problem.suggestion !== undefined ? { fixes: [replace(`Change to '${problem.suggestion}'`, k.value.range, problem.suggestion)] } : undefined);
  }
}

/** Walks the tree; keys inside unknown or legacy sections are not judged (their section already is). */
export function checkKeys(ctx: RuleContext): void {
  const walk = (s: SectionNode): void => {
    for (const c of s.children) {
      if (c.kind === 'key') checkKey(ctx, c);
      else if (checkSection(ctx, c)) walk(c);
    }
  };
  walk(ctx.model.doc.root);
  checkCombinations(ctx);
}

/** Value problems that span two keys; the daemon refuses these at start-up. */
function checkCombinations(ctx: RuleContext): void {
  const { last } = ctx.model;
  const cipher = last.get('totem.crypto_cipher');
  const hash = last.get('totem.crypto_hash');
  if (cipher && cipher.value.text !== 'none' && (!hash || hash.value.text === 'none')) {
    ctx.report(
      'invalid-value',
      cipher.value.range,
      `crypto_cipher ${cipher.value.text} needs a crypto_hash other than none (corosync refuses the file); add 'crypto_hash: sha256'.`,
      hash ? { related: [ctx.rel(hash.range, 'crypto_hash')] } : undefined,
    );
  }
  const totems = ctx.model.sections.get('totem') ?? [];
  const version = last.get('totem.version');
  if (!version) {
    const at = totems[0]?.name.range ?? lineRange(0, 0, 0);
    ctx.report(
      'invalid-value',
      at,
      `totem has no 'version: 2'; corosync 3 refuses a configuration without it ("can only parse version 2 configurations").`,
      totems[0] ? { fixes: [{ title: "Add 'version: 2'", edits: [addVersion(ctx.model.doc.lines, totems[0].header)] }] } : undefined,
    );
  }
}

/** A `version: 2` line right after the totem header, indented one level deeper. */
function addVersion(lines: string[], header: Range): TextEdit {
  const line = `${' '.repeat(header.start.character + 4)}version: 2`;
  const next = header.end.line + 1;
  if (next < lines.length) return { range: lineRange(next, 0, 0), newText: `${line}\n` };
  // The header is the last line and no newline follows it: the new line starts with one.
  const end = lines[header.end.line].length;
  return { range: lineRange(header.end.line, end, end), newText: `\n${line}` };
}

export const syntaxCheck: Rule<RuleContext> = { meta: syntaxRule, check: checkSyntax };

/** One walk over the keys checks names and values together (a value is only checked under a known name). */
export const keysCheck: Rule<RuleContext> = { name: 'corosync keys', meta: unknownKeyRule, alsoReports: [invalidValueRule], check: checkKeys };
