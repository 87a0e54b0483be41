/** podguard's version and home (kept in step with package.json by a test). */
export const VERSION = '0.1.0';
/** Where users find docs. */
export const HOMEPAGE = 'https://github.com/podguard/podguard';
/** The documentation page of a rule. */
export function ruleDocUrl(id: string): string {
  return `${HOMEPAGE}/blob/main/docs/rules/${id}.md`;
}
