/**
 * Tests about one behaviour turn every other rule off, so their counts do not move each time a
 * rule is added. Engine rules (parse errors, file errors...) stay on.
 */
import { ALL_RULES } from '../../src/rules/index.js';

/** An inline configuration object with only `ids` (and engine rules) enabled. */
export function onlyRules(...ids: string[]): { rules: Record<string, string> } {
  const keep = new Set(ids);
  return { rules: Object.fromEntries(ALL_RULES.filter((r) => !r.meta.system && !keep.has(r.meta.id)).map((r) => [r.meta.id, 'off'])) };
}

/** The same as a `.podguard.yml` text (for tests that run the CLI, the Action or the task). */
export function onlyRulesYaml(...ids: string[]): string {
  const { rules } = onlyRules(...ids);
  return `rules:\n${Object.keys(rules)
    .map((id) => `  ${id}: "off"`)
    .join('\n')}\n`;
}
