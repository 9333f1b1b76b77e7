import * as path from 'node:path';
import type { Diagnostic, RuleMeta, Severity } from '../core/types';
import { ruleDocUrl } from '../engine/rules';
import { escapeForTerminal } from '../core/hiddenText';
import { plural } from '../core/plural';

export interface Report {
  diagnostics: Diagnostic[];
  /** Absolute path -> path to print. */
  displayOf: (abs: string) => string;
  filesChecked: number;
}

export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
  related: { file: string; line: number; column: number; message: string }[];
}

export function toJsonDiagnostic(d: Diagnostic, displayOf: (abs: string) => string): JsonDiagnostic {
  return {
    file: displayOf(d.file),
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    severity: d.severity,
    code: d.code,
    message: d.message,
    related: (d.related ?? []).map((r) => ({
      file: displayOf(r.file),
      line: r.range.start.line + 1,
      column: r.range.start.character + 1,
      message: r.message,
    })),
  };
}

export function countBySeverity(ds: Diagnostic[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const d of ds) c[d.severity]++;
  return c;
}

const COLORS: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', information: '\x1b[36m', hint: '\x1b[2m' };

/** Compiler-style lines: `path:line:col severity message [code]`, related locations indented, then a summary. */
export function formatText(r: Report, color: boolean): string {
  const lines: string[] = [];
  for (const d of r.diagnostics) {
    const j = toJsonDiagnostic(d, r.displayOf);
    const sev = color ? `${COLORS[d.severity]}${d.severity}\x1b[0m` : d.severity;
    // Every piece from a config or a path is escaped here, because with colour on this text is written
    // without main.ts's escaping (core/hiddenText.ts).
    const e = escapeForTerminal;
    lines.push(`${e(j.file)}:${j.line}:${j.column} ${sev} ${e(d.message)} [${e(d.code)}]`);
    for (const rel of j.related) lines.push(`    ${e(rel.file)}:${rel.line}:${rel.column} note: ${e(rel.message)}`);
  }
  const c = countBySeverity(r.diagnostics);
  const parts = [plural(c.error, 'error'), plural(c.warning, 'warning')];
  if (c.information) parts.push(`${c.information} information`);
  if (c.hint) parts.push(plural(c.hint, 'hint'));
  lines.push(`${parts.join(', ')} in ${plural(r.filesChecked, 'file')} checked`);
  return lines.join('\n') + '\n';
}

export function formatJson(r: Report): string {
  return JSON.stringify({ diagnostics: r.diagnostics.map((d) => toJsonDiagnostic(d, r.displayOf)) }, null, 2) + '\n';
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** SARIF 2.1.0, the format GitHub code scanning and most CI dashboards ingest. */
export function formatSarif(r: Report, rules: RuleMeta[], version: string): string {
  const used = new Set(r.diagnostics.map((d) => d.code));
  const ruleList = rules.filter((m) => used.has(m.code));
  const index = new Map(ruleList.map((m, i) => [m.code, i]));
  const uri = (abs: string): string => r.displayOf(abs).split(path.sep).join('/');
  const loc = (file: string, d: { range: Diagnostic['range'] }) => ({
    physicalLocation: {
      artifactLocation: { uri: uri(file) },
      region: {
        startLine: d.range.start.line + 1,
        startColumn: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
      },
    },
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'haconf',
            version,
            informationUri: 'https://github.com/haconf/haconf',
            rules: ruleList.map((m) => ({
              id: m.code,
              shortDescription: { text: m.summary },
              fullDescription: { text: m.rationale },
              helpUri: ruleDocUrl(m.code),
              defaultConfiguration: { level: SARIF_LEVEL[m.defaultSeverity] },
            })),
          },
        },
        results: r.diagnostics.map((d) => ({
          ruleId: d.code,
          ...(index.has(d.code) ? { ruleIndex: index.get(d.code) } : {}),
          level: SARIF_LEVEL[d.severity],
          message: { text: d.message },
          locations: [loc(d.file, d)],
          ...(d.related?.length ? { relatedLocations: d.related.map((rel, i) => ({ id: i, message: { text: rel.message }, ...loc(rel.file, rel) })) } : {}),
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
