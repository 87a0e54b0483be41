/** Findings after the scan: their order, the level they are shown at, counts and the gate. */
import { LEVEL_RANK } from './types.js';
import type { Finding, Level } from './types.js';

/**
 * About how many characters a piece of output text (or of the findings spool) holds. V8 puts any
 * object over 128 KB (a string of 64 K two-byte characters) straight into its old generation,
 * so pieces of a megabyte made every pass over a large scan's findings grow the heap until a full
 * collection; pieces this size die young (measured on the 50,000-file bench corpus).
 */
export const PIECE = 1 << 15;

/**
 * The findings of a scan as sinks read them: in order, as often as needed. An array is one; a
 * large scan's result is a spool on disk (`src/engine/spool.ts`), so sinks iterate, never index.
 */
export interface FindingList extends Iterable<Finding> {
  readonly length: number;
}

/** The findings in runs of one file each (findings in order hold each file's together). */
export function* byFile(findings: Iterable<Finding>): Generator<[string, Finding[]]> {
  let run: Finding[] = [];
  for (const f of findings) {
    if (run.length > 0 && run[0]!.file !== f.file) {
      yield [run[0]!.file, run];
      run = [];
    }
    run.push(f);
  }
  if (run.length > 0) yield [run[0]!.file, run];
}

/** How many findings pass `test`. */
export function countWhere(findings: Iterable<Finding>, test: (f: Finding) => boolean): number {
  let n = 0;
  for (const f of findings) if (test(f)) n++;
  return n;
}

/** True when some finding passes `test`. */
export function someFinding(findings: Iterable<Finding>, test: (f: Finding) => boolean): boolean {
  for (const f of findings) if (test(f)) return true;
  return false;
}

/** The level a finding is shown and written at: baselined findings are notes. */
export function displayLevel(f: Finding): Level {
  return f.baselined ? 'note' : f.level;
}

/** Deterministic order: file, line, column, severity, rule, message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.column - b.range.start.column ||
    LEVEL_RANK[b.level] - LEVEL_RANK[a.level] ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

/** Counts findings per level (suppressed findings excluded; baselined ones count as notes). */
export function countByLevel(findings: Iterable<Finding>): Record<Level, number> {
  const counts: Record<Level, number> = { error: 0, warning: 0, note: 0 };
  for (const f of findings) if (!f.suppression) counts[displayLevel(f)]++;
  return counts;
}

/** Counts per level (as countByLevel), suppressed findings, and baselined unsuppressed ones: one pass. */
export function tally(findings: Iterable<Finding>): { counts: Record<Level, number>; suppressed: number; baselined: number } {
  const counts: Record<Level, number> = { error: 0, warning: 0, note: 0 };
  let suppressed = 0;
  let baselined = 0;
  for (const f of findings) {
    if (f.suppression) suppressed++;
    else {
      counts[displayLevel(f)]++;
      if (f.baselined) baselined++;
    }
  }
  return { counts, suppressed, baselined };
}

/** True when a finding gates the build at `failOn`. */
export function gates(f: Finding, failOn: Level | 'never'): boolean {
  if (failOn === 'never' || f.suppression || f.baselined) return false;
  return LEVEL_RANK[f.level] >= LEVEL_RANK[failOn];
}

/** The order of `bySeverity`: most severe first, then touched lines first, then file order. */
function severityOrder(touched?: (f: Finding) => boolean): (a: Finding, b: Finding) => number {
  return (a, b) =>
    LEVEL_RANK[displayLevel(b)] - LEVEL_RANK[displayLevel(a)] ||
    (touched ? Number(touched(b)) - Number(touched(a)) : 0) ||
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.column - b.range.start.column;
}

/** Most severe first, then touched lines first, then file order. */
export function bySeverity(findings: readonly Finding[], touched?: (f: Finding) => boolean): Finding[] {
  return [...findings].sort(severityOrder(touched));
}

/**
 * The first `max` findings of `bySeverity` order, holding at most twice that many at a time (a
 * large scan's findings are not all sorted to show a few). The sort is stable, so ties keep the
 * order they came in, as in `bySeverity`.
 */
export function topBySeverity(findings: Iterable<Finding>, max: number, touched?: (f: Finding) => boolean): Finding[] {
  const order = severityOrder(touched);
  let top: Finding[] = [];
  if (max <= 0) return top;
  for (const f of findings) {
    top.push(f);
    if (top.length >= 2 * max) top = top.sort(order).slice(0, max);
  }
  return top.sort(order).slice(0, max);
}
