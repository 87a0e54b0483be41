/** Findings after the scan: their order, the level they are shown at, counts and the gate. */
import { LEVEL_RANK } from './types.js';
import type { Finding, Level } from './types.js';

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
export function countByLevel(findings: readonly Finding[]): Record<Level, number> {
  const counts: Record<Level, number> = { error: 0, warning: 0, note: 0 };
  for (const f of findings) if (!f.suppression) counts[displayLevel(f)]++;
  return counts;
}

/** True when a finding gates the build at `failOn`. */
export function gates(f: Finding, failOn: Level | 'never'): boolean {
  if (failOn === 'never' || f.suppression || f.baselined) return false;
  return LEVEL_RANK[f.level] >= LEVEL_RANK[failOn];
}

/** Most severe first, then touched lines first, then file order. */
export function bySeverity(findings: readonly Finding[], touched?: (f: Finding) => boolean): Finding[] {
  return [...findings].sort((a, b) => {
    return (
      LEVEL_RANK[displayLevel(b)] - LEVEL_RANK[displayLevel(a)] ||
      (touched ? Number(touched(b)) - Number(touched(a)) : 0) ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.column - b.range.start.column
    );
  });
}
