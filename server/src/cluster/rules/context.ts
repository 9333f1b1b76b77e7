import type { Diagnostic, Fix, RelatedLocation, Severity } from '../../core/types';
import type { Loc } from '../../core/facts';

export interface ClusterReporter {
  report(code: string, severity: Severity, loc: Loc, message: string, related?: RelatedLocation[], fixes?: Fix[]): void;
}

export function collectingReporter(out: Diagnostic[]): ClusterReporter {
  return {
    report(code, severity, loc, message, related, fixes) {
      out.push({ file: loc.file, range: loc.range, severity, code: `cluster/${code}`, message, ...(related?.length ? { related } : {}), ...(fixes?.length ? { fixes } : {}) });
    },
  };
}

export function rel(loc: Loc, message: string): RelatedLocation {
  return { file: loc.file, range: loc.range, message };
}

export function replaceFix(title: string, loc: Loc, newText: string): Fix {
  return { title, file: loc.file, edits: [{ range: loc.range, newText }] };
}
