// The argument forms of `option httpchk`, as the real `haproxy -c` judges them:
//   option httpchk | <uri> | <method> <uri> | <method> <uri> <version>   accepted by 2.6, 3.0 and 3.2;
//   a fourth word                  2.6 / 3.0: "'option httpchk' cannot handle unexpected argument 'X'";
//                                  3.2 accepts it (the check's Host), so from 3.1 on we stay silent;
//   a fifth word                   refused by 2.6, 3.0 and 3.2 alike;
//   headers hidden after the version (`HTTP/1.1\r\nHost:\ x`)
//                                  2.6 warns "… is deprecated", 3.0 and 3.2 refuse "… is unsupported".
// Any method word is accepted (`FOO`, `get`), so the method is not judged here.
import type { Rule } from '../../core/rule';
import type { RuleMeta } from '../../core/types';
import { compareVersions } from '../../core/schema';
import { isLive, type RuleContext } from './context';
import type { Resolved } from '../types';
import { SectionMemo, unlessClean } from './sectionMemo';

export const httpchkMeta: RuleMeta = {
  code: 'haproxy/httpchk-arguments',
  defaultSeverity: 'error',
  summary: '`option httpchk` with more arguments than the target version takes, or with headers hidden after the HTTP version.',
  rationale:
    'haproxy -c refuses `option httpchk` with a word after <method> <uri> <version> (before 3.1) or after the Host word (3.1 and later), and from 3.0 refuses headers appended to the version with \\r\\n; 2.x only warns that this form is deprecated.',
  example: 'backend app\n    option httpchk GET /health HTTP/1.1\\r\\nHost:\\ www',
  variants: {
    deprecated: { severity: 'warning', when: 'headers after the version string before 3.0, which HAProxy still accepts with a deprecation warning' },
  },
};

const CHECKED_SECTIONS = new Set(['defaults', 'backend', 'listen']);

/** Sections whose `option httpchk` lines checked clean, so an edit elsewhere does not walk them again. */
const clean = new SectionMemo<true>();

function checkHttpchk(ctx: RuleContext): void {
  const maxArgs = compareVersions(ctx.version, '3.1') >= 0 ? 4 : 3;
  const headersRefused = compareVersions(ctx.version, '3.0') >= 0;
  for (let s = 0, sections = ctx.doc.sections; s < sections.length; s++) {
    const section = sections[s];
    if (!CHECKED_SECTIONS.has(section.kind)) continue;
    const list = ctx.sectionStatements[s];
    if (list) unlessClean(ctx, clean, section, () => checkSection(ctx, list, maxArgs, headersRefused));
  }
}

function checkSection(ctx: RuleContext, list: Resolved[], maxArgs: number, headersRefused: boolean): true {
  for (let i = 0; i < list.length; i++) {
    const r = list[i];
    const st = r.st;
    if (r.name !== 'option httpchk' || st.mod || !isLive(st)) continue;
    let opaque = false;
    for (let k = r.argStart; k < st.count; k++) if (ctx.opaqueWord(st, k)) opaque = true;
    // A variable may expand to any number of words: leave the line to haproxy -c.
    if (opaque) continue;
    const extra = r.argStart + maxArgs;
    if (st.count > extra) {
      ctx.report(
        httpchkMeta,
        ctx.wordRange(st, extra),
        `'option httpchk' takes at most ${maxArgs} arguments in HAProxy ${ctx.version} (<method> <uri> <version>${maxArgs === 4 ? ' <host>' : ''}); it refuses '${st.value(extra)}': send extra headers with 'http-check send hdr NAME VALUE'`,
      );
      continue;
    }
    const version = st.count - r.argStart >= 3 ? st.value(r.argStart + 2) : undefined;
    if (version !== undefined && /[\r\n]/.test(version)) {
      ctx.report(
        httpchkMeta,
        ctx.wordRange(st, r.argStart + 2),
        headersRefused
          ? `headers after the version of 'option httpchk' are refused by HAProxy ${ctx.version} (since 3.0): keep 'option httpchk <method> <uri> <version>' and add 'http-check send hdr NAME VALUE'`
          : `headers after the version of 'option httpchk' are deprecated (HAProxy 3.0 refuses them): use 'http-check send hdr NAME VALUE'`,
        headersRefused ? undefined : { variant: 'deprecated' },
      );
    }
  }
  return true;
}

export const httpchkRule: Rule<RuleContext> = { meta: httpchkMeta, check: checkHttpchk };
