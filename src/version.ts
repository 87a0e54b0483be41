/** podguard's version and home (kept in step with package.json by a test). */
export const VERSION = '0.1.0';
/** Where users find docs. */
export const HOMEPAGE = 'https://github.com/podguard/podguard';
/** The documentation page of a rule. */
export function ruleDocUrl(id: string): string {
  // Admission policy rules are the repository's own: one page explains them all.
  if (id.startsWith('policy/')) return `${HOMEPAGE}/blob/main/docs/policies.md`;
  return `${HOMEPAGE}/blob/main/docs/rules/${id}.md`;
}
