// Signature help for haproxy.cfg: the directive at the cursor (`server <name> <address>[:[port]] [param*]`,
// `timeout connect <time>`, `http-request set-header <name> <fmt> [ { if | unless } <condition> ]`), a
// bind/server option's arguments (`inter <time>`), and the fetch or converter whose parentheses hold the
// cursor (`req.hdr([string],[integer])`), each with the parameter being typed. Like completion it reads
// the live text only, never waiting for a check.
import type { Position } from '../core/types';
import type { Word } from '../haproxy/types';
import { lookupAclKeyword, lookupConverter, lookupFetch, type SampleKeyword } from '../haproxy/fetchData';
import { matchKeyword, matchOption, sectionNames } from '../haproxy/keywords';
import { actionNamed, ruleSetOf, syntaxAt } from '../haproxy/actionData';
import { directiveSyntax, optionSyntax, sampleSignature } from './haproxyGrammar';
import { lineContext, sectionFromText } from './haproxyCompletion';
import { activeParam, parseSyntax, type SyntaxParam } from './syntax';
import type { LineIndex } from './text';
import type { SignatureData, SignatureHelpData } from './types';

const CONDITION = '[ { if | unless } <condition> ]';

/** A signature whose parameters are found, in order, in its label. */
function signature(label: string, paramLabels: readonly string[], documentation?: string): SignatureData {
  const parameters: SignatureData['parameters'] = [];
  let from = label.indexOf(' ') + 1;
  for (const p of paramLabels) {
    const at = label.indexOf(p, from);
    if (at < 0) continue;
    parameters.push({ label: [at, at + p.length] });
    from = at + p.length;
  }
  return { label, parameters, ...(documentation ? { documentation } : {}) };
}

function help(sig: SignatureData, active: number): SignatureHelpData {
  return { signatures: [sig], activeSignature: 0, activeParameter: Math.max(0, Math.min(active, sig.parameters.length - 1)) };
}

/** The innermost sample call whose parentheses are open at the end of `text`: its name and argument index. */
export function openCall(text: string): { name: string; converter: boolean; arg: number } | undefined {
  const stack: Array<{ name: string; converter: boolean; arg: number }> = [];
  let nameStart = 0;
  let afterComma = false;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(') {
      stack.push({ name: text.slice(nameStart, i), converter: afterComma, arg: 0 });
      nameStart = i + 1;
    } else if (ch === ')') {
      stack.pop();
      nameStart = i + 1;
    } else if (ch === ',') {
      if (stack.length) stack[stack.length - 1].arg++;
      else afterComma = true;
      nameStart = i + 1;
    } else if (ch === '[' || ch === ' ') {
      nameStart = i + 1;
      afterComma = false;
    }
  }
  return stack.pop();
}

function sampleHelp(call: { name: string; converter: boolean; arg: number }): SignatureHelpData | undefined {
  let spec: SampleKeyword | undefined = call.converter ? lookupConverter(call.name) : lookupFetch(call.name);
  if (!spec && !call.converter) {
    const acl = lookupAclKeyword(call.name);
    const base = acl ? lookupFetch(acl.fetch) : undefined;
    if (base) spec = { ...base, name: call.name };
  }
  if (!spec?.args.length) return undefined;
  const sig = sampleSignature(spec);
  const parameters: SignatureData['parameters'] = [];
  let from = spec.name.length + 1;
  for (const p of sig.params) {
    parameters.push({ label: [from, from + p.length] });
    from += p.length + 1;
  }
  const kind = call.converter ? 'converter' : 'fetch';
  return help({ label: sig.label, parameters, documentation: `${kind}${spec.output ? `, returns ${spec.output}` : ''}` }, spec.variadic ? Math.min(call.arg, parameters.length - 1) : call.arg);
}

/** Signature help at `pos` in a haproxy.cfg text. */
export function haproxySignatureHelp(lines: LineIndex, pos: Position, version: string): SignatureHelpData | undefined {
  const before = lines.line(pos.line).slice(0, pos.character);
  const ctx = lineContext(before, pos.line);
  if (!ctx) return undefined;
  // Inside a fetch's or converter's parentheses (`req.hdr(`, `%[src,map_ip(`).
  const call = openCall(ctx.partial);
  if (call) return sampleHelp(call);
  let done: Word[] = ctx.done;
  const sectionSet = new Set(sectionNames(version));
  const section = sectionFromText(lines, pos.line, sectionSet)?.kind;
  if (done.length && (done[0].value === 'no' || done[0].value === 'default') && section) done = done.slice(1);
  if (!done.length || !section) return undefined;
  const values = done.map((w) => w.value);
  const kw = values[0];

  const rs = ruleSetOf(values[0], values[1]);
  if (rs) {
    const head = values.slice(0, rs.words).join(' ');
    const action = values.length > rs.words ? actionNamed(rs.ruleSet, values[rs.words], version) : undefined;
    if (!action) return syntaxHelp(head, directiveSyntax(rs.ruleSet, undefined)!, values.slice(rs.words), values.length - rs.words);
    const argWords = values.slice(rs.words + 1);
    return syntaxHelp(`${head} ${action.name}`, `${syntaxAt(action, version)} ${CONDITION}`.trim(), argWords, argWords.length, true);
  }

  const optKind = kw === 'bind' ? 'bind' : kw === 'server' || kw === 'default-server' ? 'server' : undefined;
  const firstOpt = kw === 'bind' ? 2 : kw === 'server' ? 3 : 1;
  if (optKind && section !== 'peers' && section !== 'resolvers' && section !== 'ring' && values.length > firstOpt) {
    // The argument of an option (`inter <time>`): the option right before the cursor's word.
    const opt = values[values.length - 1];
    const spec = matchOption(optKind, opt, version)?.spec;
    const syntax = spec ? optionSyntax(optKind, opt, spec, version) : '';
    if (syntax) return syntaxHelp(opt, syntax, [], 0, false, `${optKind} option`);
  }
  const m = matchKeyword(section, values, version);
  const name = m ? m.spec.name : kw;
  const syntax = directiveSyntax(name, m?.spec, version);
  if (!syntax) return undefined;
  const argWords = values.slice(m ? m.words : 1);
  return syntaxHelp(name, syntax, argWords, argWords.length);
}

/**
 * Help for `head syntax` with the `k`-th argument word active. `condition`: the syntax ends with the
 * condition, which is active once `if`/`unless` is typed.
 */
function syntaxHelp(head: string, syntax: string, argWords: readonly string[], k: number, condition = false, documentation?: string): SignatureHelpData {
  const params: SyntaxParam[] = parseSyntax(syntax);
  const label = syntax.startsWith('(') ? `${head}${syntax}` : `${head} ${syntax}`;
  const sig = signature(
    label,
    params.map((p) => p.label),
    documentation,
  );
  const condAt = argWords.findIndex((w) => w === 'if' || w === 'unless');
  if (condition && condAt >= 0) return help(sig, params.length - 1);
  const active = activeParam(condition ? params.slice(0, -1) : params, argWords, k);
  return help(sig, active);
}
