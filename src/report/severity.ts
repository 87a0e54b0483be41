/**
 * The security-severity policy: GitHub turns a rule's `security-severity` into critical (9.0+),
 * high (7.0-8.9), medium (4.0-6.9) or low, and its default pull-request check fails on high. A
 * finding's severity therefore stays inside the band of its level, so GitHub's check and
 * `fail-on` agree: an error is high or critical, a warning medium, a note low.
 */
import type { RuleMeta } from '../rule.js';
import type { Level } from '../types.js';

/** The security-severity band of each level (inclusive, one decimal). */
export const SEVERITY_BANDS: Readonly<Record<Level, { min: number; max: number }>> = {
  error: { min: 7.0, max: 10.0 },
  warning: { min: 4.0, max: 6.9 },
  note: { min: 0.1, max: 3.9 },
};

/** GitHub's name for a security-severity. */
export function severityName(severity: number): 'critical' | 'high' | 'medium' | 'low' {
  return severity >= 9 ? 'critical' : severity >= 7 ? 'high' : severity >= 4 ? 'medium' : 'low';
}

/** True when `severity` lies in the band of `level`. */
export function inBand(severity: number, level: Level): boolean {
  const b = SEVERITY_BANDS[level];
  return severity >= b.min && severity <= b.max;
}

/**
 * The security-severity of a rule's findings at `level` (a configured level, or a finding's own
 * level): the rule's value moved to the nearest edge of that level's band. Undefined for rules
 * that are no security alerts.
 */
export function severityAt(meta: Pick<RuleMeta, 'securitySeverity'>, level: Level): number | undefined {
  if (meta.securitySeverity === undefined) return undefined;
  const b = SEVERITY_BANDS[level];
  return Math.min(b.max, Math.max(b.min, meta.securitySeverity));
}
