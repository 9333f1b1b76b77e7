// A keepalived `include` can name any readable file: `include ~/.aws/credentials` or a .env file would
// otherwise come back as "unknown keyword `AWS_SECRET=…`" in CI logs and SARIF. Findings located in an
// included file that lies outside the main file's folder (after resolving symlinks) therefore never quote
// it: their message is replaced by one that names the file, the line and the rule, and nothing of the text.
// Files inside the folder are the configuration's own parts (conf.d/…) and keep their full messages.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../core/types';
import type { KeepalivedDoc } from './types';

function real(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

function inside(child: string, dir: string): boolean {
  const rel = path.relative(dir, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Included files of `doc` outside the main file's folder. */
export function foreignIncludes(doc: KeepalivedDoc): Set<string> {
  const out = new Set<string>();
  if (doc.sources.size < 2) return out;
  const home = real(path.dirname(doc.file));
  for (const f of doc.sources.keys()) if (f !== doc.file && !inside(real(f), home)) out.add(f);
  return out;
}

/** Replaces the message of every finding located in a foreign included file (see above). */
export function hideForeignText(doc: KeepalivedDoc, diagnostics: Diagnostic[]): Diagnostic[] {
  const foreign = foreignIncludes(doc);
  if (!foreign.size) return diagnostics;
  return diagnostics.map((d) =>
    foreign.has(d.file)
      ? {
          ...d,
          message: `${d.code} on line ${d.range.start.line + 1} of ${d.file}, included from outside ${path.dirname(doc.file)}; haconf does not quote files outside the configuration's folder. Open the file to see the line, or move it next to ${path.basename(doc.file)}.`,
        }
      : d,
  );
}
