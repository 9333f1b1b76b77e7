// The one rule shape every layer uses (haproxy, keepalived, corosync, cluster): a rule is its metadata
// (`RuleMeta`: code, default severity, docs) plus a `check(ctx)` over the layer's context. Each layer lists
// its builders and rules once, in run order, in a `RuleRegistry`; that list is also where the catalogue
// (docs/rules.md, SARIF, the editor's code links) comes from. See docs/architecture.md "How to add a rule".
import type { Diagnostic, Fix, Range, RelatedLocation, RuleMeta, Severity } from './types';
import { lineRange } from './range';

export type { RuleMeta, SeverityVariant } from './types';

/** What a report may carry besides its range and message. */
export interface ReportExtra {
  related?: RelatedLocation[];
  fixes?: Fix[];
  /**
   * A named case of the rule reported at another severity than its default; it must be declared in the
   * rule's `variants` (and so documented). A severity is never chosen at the call site.
   */
  variant?: string;
}

/** A check over the layer's context; reports through `ctx.report`. */
export interface Rule<Ctx> {
  /** The code the rule reports: docs, default severity, variants. */
  meta: RuleMeta;
  /**
   * Further codes the same walk reports, when splitting the walk would cost a second pass over the same
   * lines or break a per-section memo (say why where the rule is declared).
   */
  alsoReports?: readonly RuleMeta[];
  /** How an internal error names the rule; its code when absent. */
  name?: string;
  check(ctx: Ctx): void;
}

/**
 * Builds (part of) the model the rules read: it runs before every rule and is not a rule. A builder that
 * finds problems while building may report them (declared in `reports`) when recording them for a rule
 * would cost a second walk; the builder says why.
 */
export interface Builder<Ctx> {
  name: string;
  reports?: readonly RuleMeta[];
  build(ctx: Ctx): void;
}

/** Severity of `meta`'s finding, or of its named variant. Throws on an undeclared variant (a rule bug). */
export function severityOf(meta: RuleMeta, variant?: string): Severity {
  if (variant === undefined) return meta.defaultSeverity;
  const v = meta.variants?.[variant];
  if (!v) throw new Error(`${meta.code} has no variant '${variant}'; declare it in the rule's metadata`);
  return v.severity;
}

/** The finding sink every layer's rule context extends: severity comes from the registry's metadata. */
export abstract class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  /** The metadata of the registry running on this context, by code (set by RuleRegistry.run). */
  private metas: ReadonlyMap<string, RuleMeta> | undefined;

  /** Where an internal error of a rule is reported (the file being checked, line 1). */
  abstract internalErrorLocation(): { file: string; range: Range };

  /** Binds the context to a registry's metadata; called by the registry before its steps run. */
  useCatalogue(metas: ReadonlyMap<string, RuleMeta>): void {
    this.metas = metas;
  }

  /** Pushes one finding; `rule` is the rule's metadata or its full code. */
  protected emit(file: string, rule: RuleMeta | string, range: Range, message: string, extra?: ReportExtra): void {
    const meta = typeof rule === 'string' ? this.metas?.get(rule) : rule;
    if (!meta) throw new Error(`'${String(rule)}' is not a code of this layer's registry; declare its RuleMeta on the rule that reports it`);
    const d: Diagnostic = { file, range, severity: severityOf(meta, extra?.variant), code: meta.code, message };
    if (extra?.related?.length) d.related = extra.related;
    if (extra?.fixes?.length) d.fixes = extra.fixes;
    this.diagnostics.push(d);
  }
}

/** The `<layer>/internal-error` code: one finding per rule that threw, so the others still report. */
export function internalErrorMeta(layer: string): RuleMeta {
  return {
    code: `${layer}/internal-error`,
    defaultSeverity: 'error',
    summary: 'A haconf rule failed on this file (a bug in haconf, not in the config); the other rules still ran.',
    rationale:
      'Each rule runs on its own: when one throws, haconf reports it here, naming the rule, instead of hiding every other finding of the file. What that rule checks is not checked until it is fixed; please report it with the file attached. When a builder (the step that makes the model the rules read) fails, the rules that read that model are not run, so they cannot report false errors.',
    example: '# any file on which a rule hits an unexpected case',
  };
}

/** One layer's builders and rules, in run order, and the catalogue of every code they report. */
export class RuleRegistry<Ctx extends Reporter> {
  /**
   * Every code the layer's builders and rules report (not `<layer>/internal-error`, see `internalError`):
   * the codes of `order` first, in that order, then the others in run order (builders first).
   */
  readonly catalogue: RuleMeta[];
  readonly internalError: RuleMeta;
  private readonly byCode = new Map<string, RuleMeta>();

  constructor(
    readonly layer: string,
    readonly builders: readonly Builder<Ctx>[],
    readonly rules: readonly Rule<Ctx>[],
    /** The order docs/rules.md lists the layer's codes in, when it is not the run order. */
    order: readonly RuleMeta[] = [],
  ) {
    this.internalError = internalErrorMeta(layer);
    const add = (m: RuleMeta) => {
      const known = this.byCode.get(m.code);
      if (known && known !== m) throw new Error(`${m.code} is declared twice in the ${layer} registry`);
      if (!m.code.startsWith(`${layer}/`)) throw new Error(`${m.code} does not belong to the ${layer} registry`);
      this.byCode.set(m.code, m);
    };
    for (const b of builders) for (const m of b.reports ?? []) add(m);
    for (const r of rules) {
      add(r.meta);
      for (const m of r.alsoReports ?? []) add(m);
    }
    for (const m of order) if (this.byCode.get(m.code) !== m) throw new Error(`${m.code} is listed in the ${layer} catalogue order but no builder or rule reports it`);
    const ordered = new Set(order);
    this.catalogue = [...order, ...[...this.byCode.values()].filter((m) => !ordered.has(m))];
    add(this.internalError);
  }

  /** The metadata of `code`, if this layer reports it. */
  meta(code: string): RuleMeta | undefined {
    return this.byCode.get(code);
  }

  /**
   * Runs the builders, then every rule, each isolated: a rule that throws is replaced by one
   * internal-error finding (what it reported before throwing is dropped) and the next rule runs. A builder
   * that throws stops the run after one internal-error finding: the rules would read a half-built model.
   */
  run(ctx: Ctx): void {
    ctx.useCatalogue(this.byCode);
    for (let i = 0; i < this.builders.length; i++) {
      const b = this.builders[i];
      const before = ctx.diagnostics.length;
      try {
        b.build(ctx);
      } catch (e) {
        ctx.diagnostics.length = before;
        this.reportInternal(ctx, `builder ${b.name}`, e, 'the rules were not run');
        return;
      }
    }
    for (let i = 0; i < this.rules.length; i++) {
      const r = this.rules[i];
      const before = ctx.diagnostics.length;
      try {
        r.check(ctx);
      } catch (e) {
        ctx.diagnostics.length = before;
        this.reportInternal(ctx, `rule ${r.name ?? r.meta.code}`, e, 'the other rules ran');
      }
    }
  }

  private reportInternal(ctx: Ctx, what: string, e: unknown, after: string): void {
    const at = ctx.internalErrorLocation();
    const why = e instanceof Error ? e.message : String(e);
    ctx.diagnostics.push({
      file: at.file,
      range: at.range,
      severity: this.internalError.defaultSeverity,
      code: this.internalError.code,
      message: `internal error in haconf's ${what}: ${why}. What it checks is not checked in this file (${after}); please report this with the file attached.`,
    });
  }
}

/** Line 1 of `file`: where internal errors are reported. */
export function fileStart(file: string): { file: string; range: Range } {
  return { file, range: lineRange(0, 0, 0) };
}
