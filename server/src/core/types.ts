// Shared engine types. Everything here is plain data so the CLI, the language
// server and the deploy planner can pass it around without adapters.

export type Language = 'haproxy' | 'keepalived' | 'corosync';
export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off';

/** Zero-based line and UTF-16 column, the same convention as LSP. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A fix of a finding. Edits apply to `file` (the diagnostic's file when absent). */
export interface Fix {
  title: string;
  edits: TextEdit[];
  file?: string;
  /**
   * The one exact rewrite of the finding, needing no choice from the user (not a did-you-mean guess, not
   * one of several options): "Fix all" (`source.fixAll.haconf`) and the upgrade assistant apply it.
   */
  mechanical?: boolean;
}

export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

export interface Diagnostic {
  file: string;
  range: Range;
  severity: Severity;
  code: string;
  message: string;
  related?: RelatedLocation[];
  fixes?: Fix[];
}

/** A named case of a rule reported at another severity than its default (documented in docs/rules.md). */
export interface SeverityVariant {
  severity: Severity;
  /** When the rule reports this variant, completing "Reported as <severity> when …". */
  when: string;
}

/** Static description of a rule; docs/rules.md is generated from these (core/rule.ts: the rule shape). */
export interface RuleMeta {
  code: string;
  defaultSeverity: Severity;
  /** One line: what the rule reports. */
  summary: string;
  /** Why it matters in production. */
  rationale: string;
  /** A short config snippet that triggers it. */
  example: string;
  /** What the quick fix does, if one exists. */
  fix?: string;
  /**
   * Its fix is (or, for `'some'`, some of its fixes are) the one exact rewrite (`Fix.mechanical`): "Fix all"
   * (`source.fixAll.haconf`) and the upgrade assistant apply it. docs/rules.md lists it.
   */
  fixAll?: true | 'some';
  /** Cases reported at another severity, by name; a report picks one with `{ variant: name }`. */
  variants?: Record<string, SeverityVariant>;
}

export interface CheckOptions {
  /** Target HAProxy version, e.g. "2.6". Decides unknown/removed/deprecated keywords. */
  haproxyVersion: string;
  /**
   * The version is what the hosts run (recorded by `haconf pull`/`deploy`/`drift`): findings about a
   * version range then say "your hosts run 3.2" instead of "target 3.2".
   */
  haproxyVersionFromHosts?: boolean;
  /**
   * Target keepalived branch, e.g. "2.2" (full versions such as "2.2.7" compare the same way): keywords
   * added in 2.3 are unknown before it. Undefined accepts the keywords of every release we have data for.
   */
  keepalivedVersion?: string;
  /** The keepalived version is what the hosts run: findings say "your hosts run 2.2" instead of "target 2.2". */
  keepalivedVersionFromHosts?: boolean;
  /** Per-code overrides; 'off' drops the finding. */
  severities?: Record<string, SeveritySetting>;
  /**
   * No check of an edited text follows (`haconf check` and the other one-shot commands): the analysis then
   * keeps nothing for one (per-section memos, per-line caches). The findings are the same either way.
   */
  oneShot?: boolean;
}

export const DEFAULT_HAPROXY_VERSION = '3.0';

export function defaultCheckOptions(overrides: Partial<CheckOptions> = {}): CheckOptions {
  return { haproxyVersion: DEFAULT_HAPROXY_VERSION, ...overrides };
}
