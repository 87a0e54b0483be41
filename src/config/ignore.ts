/**
 * `ignore:` in .podguard.yml: per-resource ignores for manifests a team cannot annotate (vendored
 * upstream charts). Each entry names a Kubernetes object, the rules it ignores, a required reason
 * and an optional `until` date, after which it stops applying and is reported as expired.
 */

/** One ignore entry, validated. */
export interface ResourceIgnore {
  kind: string;
  name: string;
  /** Absent: any namespace. Objects that name none are in `default`. */
  namespace?: string;
  rules: string[];
  reason: string;
  /** `YYYY-MM-DD`, inclusive. */
  until?: string;
  /** Position in the list, for messages (`ignore.2`). */
  index: number;
}

/** The schema of `ignore` (rule ids are checked against the registry). */
export function ignoreSchema(ruleIds: readonly string[]): Record<string, unknown> {
  return {
    description:
      'Per-resource ignores for manifests you cannot annotate: the object (kind, name, optional namespace), the rules ignored, why, and optionally until when.',
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'name', 'rules', 'reason'],
      properties: {
        kind: { description: 'Kubernetes kind, e.g. DaemonSet.', type: 'string', minLength: 1 },
        name: { description: 'metadata.name of the object.', type: 'string', minLength: 1 },
        namespace: { description: 'metadata.namespace (objects naming none are in default); absent: any.', type: 'string', minLength: 1 },
        rules: { description: 'Rule ids to ignore on this object.', type: 'array', minItems: 1, items: { enum: [...ruleIds] } },
        reason: { description: 'Why (required; shown as the suppression justification in SARIF).', type: 'string', minLength: 1 },
        until: {
          description: 'Last day (YYYY-MM-DD) the ignore applies; afterwards it is reported as expired.',
          type: 'string',
          pattern: '^\\d{4}-\\d{2}-\\d{2}$',
        },
      },
    },
  };
}

/** True when `s` is `YYYY-MM-DD` and a real calendar date (not 2026-02-30 or 2026-13-01). */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The key of the first `until` that is not a calendar date (`ignore.<index>.until`), if any. */
export function badIgnoreDate(data: unknown): string | undefined {
  if (!Array.isArray(data)) return undefined;
  for (const [i, raw] of data.entries()) {
    const until = (raw as { until?: unknown } | null)?.until;
    if (typeof until === 'string' && !isCalendarDate(until)) return `ignore.${i}.until`;
  }
  return undefined;
}

/** Turns validated `ignore` data into entries. */
export function parseIgnores(data: unknown): ResourceIgnore[] {
  if (!Array.isArray(data)) return [];
  return data.map((raw: Omit<ResourceIgnore, 'index'>, index) => ({
    kind: raw.kind,
    name: raw.name,
    ...(raw.namespace ? { namespace: raw.namespace } : {}),
    rules: raw.rules,
    reason: raw.reason,
    ...(raw.until ? { until: raw.until } : {}),
    index,
  }));
}

/** True when a finding's identity (`Deployment/api container "web"`) is about `kind/name`. */
export function identityIs(identity: string, kind: string, name: string): boolean {
  const label = `${kind}/${name}`;
  return identity === label || identity.startsWith(`${label} `);
}
