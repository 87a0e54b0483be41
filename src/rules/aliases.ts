/** Former rule ids (renamed or split rules), so old suppressions and baselines keep working. */
import type { RuleMeta } from '../rule.js';

/** Current rule id -> the ids its findings had before (from each rule's `formerIds`). */
export type FormerIds = ReadonlyMap<string, readonly string[]>;

/** Collects the former ids of a rule set (empty entries left out). */
export function formerIdsOf(rules: readonly { meta: Pick<RuleMeta, 'id' | 'formerIds'> }[]): FormerIds {
  const out = new Map<string, readonly string[]>();
  for (const r of rules) if (r.meta.formerIds?.length) out.set(r.meta.id, r.meta.formerIds);
  return out;
}

/**
 * Which of `named` (ids a directive lists) covers a finding of `ruleId`: the id itself, else a
 * former id of the rule (returned so the caller can say which new id it now stands for).
 */
export function coveringId(named: readonly string[], ruleId: string, former: FormerIds): string | undefined {
  if (named.includes(ruleId)) return ruleId;
  const old = former.get(ruleId);
  return old?.find((id) => named.includes(id));
}
