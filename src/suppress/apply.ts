/**
 * Applies suppression directives to findings and reports directives that do not do their job
 * (no reason, expired, unused, malformed), so suppressions stay reviewable and do not rot.
 */
import { didYouMean } from '../suggest.js';
import type { Finding, Position, Range } from '../types.js';
import type { Directive } from './directives.js';
import { coveringId } from '../rules/aliases.js';
import type { FormerIds } from '../rules/aliases.js';

/** Rules about suppressions themselves; directives never suppress their findings. */
export const SUPPRESSION_RULES = [
  'suppression-without-reason',
  'expired-suppression',
  'unused-suppression',
  'invalid-suppression',
  'suppression-former-rule-id',
] as const;

/** What decides whether a directive works. */
export interface SuppressOptions {
  /** Today as `YYYY-MM-DD` (UTC); a directive works through its `until` day. */
  today: string;
  /** Every registered rule id. */
  knownRules: ReadonlySet<string>;
  /** Rules that ran: a directive for a rule that is off is not called unused. */
  enabledRules: ReadonlySet<string>;
  /** When false (`suppression-without-reason: off`), directives without a reason work too. */
  reasonRequired: boolean;
  /** Former ids of renamed or split rules; a directive naming one covers the new rule too. */
  formerIds?: FormerIds;
  /** Counts directive checks (`covers` calls), for tests that bound the work by counts. */
  stats?: { checks: number };
}

/** The working directives of one file, indexed by rule id and by the lines their scope covers. */
interface FileIndex {
  /** File-wide directives by rule id. */
  wide: Map<string, Directive[]>;
  /** Directives by line, grouped by identical scope (many annotations on one object: one entry per line). */
  lines: Map<number, Map<string, Directive[]>[]>;
  /** File order of the directives. */
  order: Map<Directive, number>;
}

function scopeLines(d: Directive): { key: string; from: number; to: number } | undefined {
  const s = d.scope;
  if (s.kind === 'file') return undefined;
  if (s.kind === 'lines') return { key: `l${s.from}:${s.to}`, from: s.from, to: s.to };
  const { start, end } = s.range;
  return { key: `r${start.line}:${start.column}:${end.line}:${end.column}`, from: start.line, to: end.line };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Indexes a file's working directives: each distinct scope is entered once per line it covers
 * (objects do not overlap much, so that is about the file's length), each directive once per
 * rule id under its scope. A finding then checks only the directives of its line and rule.
 */
function indexDirectives(list: readonly Directive[], working: ReadonlyMap<Directive, Set<string>>): FileIndex {
  const wide = new Map<string, Directive[]>();
  const lines = new Map<number, Map<string, Directive[]>[]>();
  const groups = new Map<string, Map<string, Directive[]>>();
  for (const d of list) {
    if (!working.has(d)) continue;
    const span = scopeLines(d);
    if (!span) {
      for (const id of new Set(d.ruleIds)) push(wide, id, d);
      continue;
    }
    let group = groups.get(span.key);
    if (!group) {
      group = new Map();
      groups.set(span.key, group);
      for (let line = span.from; line <= span.to; line++) push(lines, line, group);
    }
    for (const id of new Set(d.ruleIds)) push(group, id, d);
  }
  return { wide, lines, order: new Map(list.map((d, i) => [d, i])) };
}

/** A finding about a directive, for the engine to emit under one of SUPPRESSION_RULES. */
export interface DirectiveReport {
  ruleId: (typeof SUPPRESSION_RULES)[number];
  messageId: string;
  data: Record<string, string>;
  file: string;
  range: Range;
  identity: string;
}

function atOrAfter(p: Position, q: Position): boolean {
  return p.line > q.line || (p.line === q.line && p.column >= q.column);
}

function inside(p: Position, r: Range): boolean {
  return atOrAfter(p, r.start) && !atOrAfter(p, r.end);
}

/** True when a finding's identity is the container (`Deployment/a container "web"`) or below it. */
function identityIs(identity: string, label: string): boolean {
  return identity === label || identity.startsWith(`${label} `);
}

/** True when the directive's scope covers the finding (rule ids aside). */
export function covers(d: Directive, f: Finding): boolean {
  const s = d.scope;
  const at = f.range.start;
  if (s.kind === 'file') return true;
  if (s.kind === 'lines') return at.line >= s.from && at.line <= s.to;
  if (!inside(at, s.range)) return false;
  if (!s.containers) return true;
  return s.containers.some((c) => inside(at, c.range) || identityIs(f.identity, c.label));
}

function formName(d: Directive): string {
  if (d.form === 'annotation') return `${d.text.split(':')[0]} annotation`;
  return d.form === 'file comment' ? 'podguard-ignore-file comment' : 'podguard-ignore comment';
}

/**
 * Marks suppressed findings (`suppression.kind = inSource`) and returns the findings about
 * directives. `directives` maps a file path to the directives read from it.
 */
export function applySuppressions(
  findings: readonly Finding[],
  directives: ReadonlyMap<string, readonly Directive[]>,
  opts: SuppressOptions,
): DirectiveReport[] {
  const reports: DirectiveReport[] = [];
  // Directives that work -> the rule ids they suppressed something for (unused ones are reported).
  const working = new Map<Directive, Set<string>>();
  for (const [file, list] of directives) {
    for (const d of list) if (vet(d, file, opts, reports)) working.set(d, new Set());
  }
  const viaFormer = suppress(findings, directives, working, opts);
  for (const [file, list] of directives) for (const d of list) reports.push(...formerIdReports(d, file, viaFormer.get(d)));
  for (const [file, list] of directives) for (const d of list) reports.push(...unusedReports(d, file, working.get(d), opts));
  return reports;
}

/** A finding about directive `d` of `file`. */
function report(
  d: Directive,
  file: string,
  ruleId: DirectiveReport['ruleId'],
  messageId: string,
  data: Record<string, string>,
  identity = d.text,
): DirectiveReport {
  return { file, range: d.range, identity, ruleId, messageId, data: { form: formName(d), ...data } };
}

/**
 * Reports how a directive is written wrong (malformed, an unknown rule id, expired, no reason
 * where one is required) into `out`; true when it works, that is suppresses what it covers.
 */
function vet(d: Directive, file: string, opts: SuppressOptions, out: DirectiveReport[]): boolean {
  for (const p of d.problems) out.push(report(d, file, 'invalid-suppression', p.messageId, p.data));
  if (d.problems.length) return false;
  for (const id of d.ruleIds) {
    if (!opts.knownRules.has(id)) {
      out.push(report(d, file, 'invalid-suppression', 'unknownRule', { rule: id, hint: didYouMean(id, opts.knownRules) }));
    }
  }
  const rules = d.ruleIds.join(', ');
  if (d.until && opts.today > d.until) {
    out.push(report(d, file, 'expired-suppression', 'expired', { rules, until: d.until }));
    return false;
  }
  if (!d.reason && opts.reasonRequired) {
    out.push(report(d, file, 'suppression-without-reason', 'missing', { rules }));
    return false;
  }
  return true;
}

/** Per directive, each former id it was used under -> the current rule ids it suppressed that way. */
type FormerUses = Map<Directive, Map<string, Set<string>>>;

/**
 * Marks the findings the working directives cover, recording in `working` the ids each directive
 * was used for. Findings about directives are never suppressed.
 */
function suppress(
  findings: readonly Finding[],
  directives: ReadonlyMap<string, readonly Directive[]>,
  working: ReadonlyMap<Directive, Set<string>>,
  opts: SuppressOptions,
): FormerUses {
  const suppressible = new Set<string>(SUPPRESSION_RULES);
  const former = opts.formerIds ?? new Map<string, readonly string[]>();
  const viaFormer: FormerUses = new Map();
  const indexes = new Map<string, FileIndex>();
  for (const f of findings) {
    if (suppressible.has(f.ruleId)) continue;
    const list = directives.get(f.file);
    if (!list) continue;
    let index = indexes.get(f.file);
    if (!index) indexes.set(f.file, (index = indexDirectives(list, working)));
    for (const d of candidates(index, f, former)) {
      if (opts.stats) opts.stats.checks++;
      const id = coveringId(d.ruleIds, f.ruleId, former);
      if (id === undefined || !covers(d, f)) continue;
      working.get(d)!.add(id);
      if (id !== f.ruleId) addFormerUse(viaFormer, d, id, f.ruleId);
      f.suppression ??= { kind: 'inSource', justification: d.reason || '(no reason given)' };
    }
  }
  return viaFormer;
}

/**
 * The directives of a finding's line (and the file-wide ones) naming its rule or one of its
 * former ids, in file order, so the first that covers the finding gives its justification.
 */
function candidates(index: FileIndex, f: Finding, former: FormerIds): Directive[] {
  const found = new Set<Directive>();
  for (const id of [f.ruleId, ...(former.get(f.ruleId) ?? [])]) {
    for (const d of index.wide.get(id) ?? []) found.add(d);
    for (const group of index.lines.get(f.range.start.line) ?? []) for (const d of group.get(id) ?? []) found.add(d);
  }
  const list = [...found];
  const { order } = index;
  if (list.length > 1) list.sort((a, b) => order.get(a)! - order.get(b)!);
  return list;
}

function addFormerUse(uses: FormerUses, d: Directive, old: string, current: string): void {
  const byOld = uses.get(d) ?? new Map<string, Set<string>>();
  uses.set(d, byOld);
  const ids = byOld.get(old) ?? new Set<string>();
  byOld.set(old, ids);
  ids.add(current);
}

/** One note per former id a directive was used under, naming the current ids. */
function formerIdReports(d: Directive, file: string, uses: Map<string, Set<string>> | undefined): DirectiveReport[] {
  return [...(uses ?? [])].map(([old, ids]) =>
    report(d, file, 'suppression-former-rule-id', 'formerId', { rule: old, current: [...ids].sort().join(', ') }, `${d.text} ${old}`),
  );
}

/** The rule ids of a working directive that suppressed nothing (rules known and enabled only). */
function unusedReports(d: Directive, file: string, used: ReadonlySet<string> | undefined, opts: SuppressOptions): DirectiveReport[] {
  if (!used) return [];
  return d.ruleIds
    .filter((id) => !used.has(id) && opts.knownRules.has(id) && opts.enabledRules.has(id))
    .map((id) => report(d, file, 'unused-suppression', 'unused', { rule: id }, `${d.text} ${id}`));
}
