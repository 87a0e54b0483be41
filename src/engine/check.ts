/**
 * Checking files: read, parse, run every active rule over each document, collect findings. The
 * same code runs on the main thread and in worker threads (`threads.ts`); a batch's result is
 * plain data, so it crosses threads by structured clone and the main thread merges batches in
 * file order (`merge.ts`).
 */
import type { Candidate } from '../collect/collect.js';
import { hasTemplateMarks, isChartTemplate, parseFile } from '../parse/index.js';
import type { ParsedFile, YamlFile } from '../parse/index.js';
import { identityAt } from '../parse/scope.js';
import { rangeOf } from '../parse/source.js';
import { readDotenv } from '../parse/dotenv.js';
import type { SourceFile } from '../parse/source.js';
import { safeErrorText } from '../redact.js';
import type { Report, Rule, RuleContext } from '../rule.js';
import { rule as fileError } from '../rules/file-error.js';
import { rule as internalError } from '../rules/internal-error.js';
import { readDirectives } from '../suppress/directives.js';
import type { Directive } from '../suppress/directives.js';
import type { FileKind, Finding } from '../types.js';
import { Collector } from './collector.js';
import type { ActiveRule, CheckPlan } from './plan.js';
import { readCandidate } from './read.js';
import { documentViews, reportProblems } from './documents.js';
import { SystemFindings } from './system-findings.js';

/** The rule that scans a file's text for tokens, whatever its shape. */
const TEXT_SCAN_RULE = 'secret-token';

/** What checking a run of files produced: plain data (it crosses threads). */
export interface BatchResult {
  findings: Finding[];
  /**
   * Set on a result checked on the thread that merges it: its findings already share one
   * identity string and one range object per file. A worker's result is a structured clone,
   * whose findings each have their own.
   */
  local?: true;
  /** Secret values found (for the scan's redactor). */
  secrets: string[];
  /** Suppression directives by file. */
  directives: [string, Directive[]][];
  filesScanned: Record<FileKind, number>;
  /** Cross-file states (rules with `initialState`) built from these files, by rule id. */
  states: [string, unknown][];
  /** Helm chart templates left unchecked (not rendered), by path: reported, never dropped silently. */
  templates: string[];
}

/**
 * A report about a field that is absent (not about a value that is set). On a partial object
 * (a kustomize patch) the field is written elsewhere, so absence proves nothing. Recognised
 * centrally by the message-id convention of the rules: `missing`, `missing...`, `...Missing`.
 */
export function reportsMissingField(r: Report): boolean {
  return /^missing|Missing$/.test(r.messageId);
}

/** One run of files being checked: its findings, directives, counts and cross-file states. */
class Batch {
  readonly out: Collector;
  readonly system: SystemFindings;
  readonly directives: [string, Directive[]][] = [];
  readonly filesScanned: Record<FileKind, number> = { kubernetes: 0, dockerfile: 0, compose: 0, aci: 0 };
  readonly templates: string[] = [];
  /** Each cross-file rule's state, started empty so batches merge into what one thread builds. */
  readonly states = new Map<Rule, unknown>();

  constructor(plan: CheckPlan, active: readonly ActiveRule[]) {
    this.out = new Collector({ formerFingerprints: plan.baseline });
    this.system = new SystemFindings(plan, this.out);
    for (const { rule } of active) if (rule.initialState) this.states.set(rule, rule.initialState());
  }

  result(): BatchResult {
    return {
      findings: this.out.findings,
      secrets: [...this.out.redactor.secrets],
      directives: this.directives,
      filesScanned: this.filesScanned,
      states: [...this.states].map(([rule, state]) => [rule.meta.id, state]),
      templates: this.templates,
    };
  }
}

/**
 * One rule's context for one document. A class, not an object spread: it is made for every rule
 * and document (millions on a large scan), and spreading cost a third of the check's time.
 */
class DocumentContext implements RuleContext {
  readonly options: Record<string, unknown>;
  readonly settings: RuleContext['settings'];
  readonly state: Map<string, unknown>;
  readonly partial: boolean;

  constructor(
    shared: ActiveRule['context'],
    readonly crossFile: unknown,
    readonly report: (r: Report) => void,
  ) {
    this.options = shared.options;
    this.settings = shared.settings;
    this.state = shared.state;
    this.partial = shared.partial;
  }
}

/** Checks files with the active rules; one per thread. */
export class FileChecker {
  constructor(
    private readonly plan: CheckPlan,
    private readonly active: readonly ActiveRule[],
  ) {}

  /** Checks `files` in order (one batch). */
  run(files: readonly Candidate[]): BatchResult {
    const batch = new Batch(this.plan, this.active);
    for (const c of files) {
      batch.out.endFile();
      this.checkFile(c, batch);
    }
    batch.out.endFile();
    return batch.result();
  }

  private checkFile(c: Candidate, b: Batch): void {
    const read = readCandidate(c, this.plan.settings.maxFileBytes);
    if ('skipped' in read) {
      b.system.report({ rule: fileError, message: 'skipped', file: c.relPath, data: { reason: read.skipped } });
      return;
    }
    const { source } = read;
    const parsed = this.parse(c, source, b);
    if (!parsed) return;
    b.filesScanned[parsed.kind]++;
    try {
      const found = readDirectives(parsed);
      if (found.length) b.directives.push([source.path, found]);
    } catch (err) {
      // The file is still checked; only its suppressions are lost, so say that rather than "not checked".
      b.system.report({
        rule: internalError,
        message: 'rule',
        file: source,
        data: { rule: 'suppression reading', error: safeErrorText(err) },
      });
    }
    if (read.invalidAt !== undefined) {
      const pos = source.lines.position(read.invalidAt);
      b.system.report({
        rule: fileError,
        message: 'encoding',
        file: source,
        at: source.lines.lineRange(pos.line, source.text),
        data: { line: pos.line },
      });
    }
    reportProblems(parsed, b.system);
    this.checkDocuments(parsed, b);
  }

  /** Parses a file; undefined when it is not checked as a manifest (then only its text is scanned). */
  private parse(c: Candidate, source: SourceFile, b: Batch): ParsedFile | undefined {
    let parsed: ParsedFile | undefined;
    try {
      parsed = parseFile(source, c.nameKind, c.rendered ? { rendered: true } : {});
      if (c.partial && parsed && parsed.kind !== 'dockerfile') parsed.partial = true;
    } catch (err) {
      b.system.report({ rule: internalError, message: 'parser', file: source, data: { error: safeErrorText(err) } });
      return undefined;
    }
    if (!parsed) {
      if (c.nameKind !== 'dockerfile' && hasTemplateMarks(source.text) && isChartTemplate(source.absPath)) b.templates.push(source.path);
      this.scanText(source, b);
      return undefined;
    }
    // Compose reads the project's .env for `${VAR}` substitution; rules see it beside the file.
    if (parsed.kind === 'compose') {
      const dotenv = readDotenv(c.absPath, c.relPath, this.plan.settings.maxFileBytes);
      if (dotenv) parsed.dotenv = dotenv;
    }
    return parsed;
  }

  /** Runs every rule for the file's kind over each document (a rule failure is contained to one). */
  private checkDocuments(parsed: ParsedFile, b: Batch): void {
    const units: ParsedFile[] = parsed.kind === 'dockerfile' ? [parsed] : documentViews(parsed);
    // A document that did not parse hides nothing: with a syntax error, the token scan reads the
    // whole text once (objects kept, so Secret data stays with its own rule).
    const broken = parsed.kind !== 'dockerfile' && parsed.problems.some((p) => p.kind === 'syntax') && parsed.docs.length > 1;
    for (const a of this.active) {
      if (!a.rule.meta.kinds.includes(parsed.kind)) continue;
      const ruleUnits = broken && a.rule.meta.id === TEXT_SCAN_RULE ? [{ ...parsed, docs: [] }] : units;
      for (const unit of ruleUnits) this.checkUnit(a, unit, parsed.source, b);
    }
  }

  /** One rule over one document, with a context of its own. */
  private checkUnit(a: ActiveRule, unit: ParsedFile, source: SourceFile, b: Batch): void {
    const report = (r: Report): void => {
      if (unit.kind !== 'dockerfile' && unit.partial && reportsMissingField(r)) return;
      const file = r.file ?? source;
      const range = rangeOf(file, r.at);
      const identity = r.identity ?? (file === source ? identityAt(unit, range.start) : undefined);
      b.out.add(a, file.path, range, identity === r.identity ? r : { ...r, identity });
    };
    try {
      a.rule.check(unit, this.context(a, b, report));
    } catch (err) {
      const doc = unit.kind === 'dockerfile' ? undefined : unit.docs[0];
      const start = doc?.root?.start ?? 0;
      b.system.report({
        rule: internalError,
        message: 'rule',
        file: source,
        at: source.lines.range(start, start),
        data: { rule: a.rule.meta.id, error: safeErrorText(err) },
      });
    }
  }

  private context(a: ActiveRule, b: Batch, report: (r: Report) => void): RuleContext {
    return new DocumentContext(a.context, b.states.get(a.rule), report);
  }

  /**
   * The token scan over the text of a candidate that is not checked as a manifest (a chart
   * template, a values file, a broken document): a secret leaks whatever the file's shape.
   */
  private scanText(source: SourceFile, b: Batch): void {
    const unit: YamlFile = { kind: 'kubernetes', source, docs: [], problems: [], objects: [], workloads: [] };
    for (const a of this.active) {
      if (a.rule.meta.id !== TEXT_SCAN_RULE) continue;
      const report = (r: Report): void => {
        const file = r.file ?? source;
        b.out.add(a, file.path, rangeOf(file, r.at), { ...r, identity: r.identity ?? '' });
      };
      try {
        a.rule.check(unit, this.context(a, b, report));
      } catch (err) {
        b.system.report({ rule: internalError, message: 'rule', file: source, data: { rule: a.rule.meta.id, error: safeErrorText(err) } });
      }
    }
  }
}
