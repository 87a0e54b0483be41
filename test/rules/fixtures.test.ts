/** Runs every rule's valid and invalid fixtures (test/rules/<rule-id>/{valid,invalid}/). */
import { existsSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_RULES } from '../../src/rules/index.js';
import { entries, expectationKey, expectationProblems, expectations, foundKeys, scanFixture, validProblems } from '../helpers/fixtures.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ruleDirs = readdirSync(HERE, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe.each(ruleDirs)('rule %s', (ruleId) => {
  const dir = join(HERE, ruleId);

  it('is a registered rule', () => {
    expect(ALL_RULES.map((r) => r.meta.id)).toContain(ruleId);
  });

  const valid = entries(join(dir, 'valid'));
  const invalid = entries(join(dir, 'invalid'));

  if (valid.length) {
    it.each(valid.map((v) => [v.slice(dir.length + 1), v]))('reports nothing on %s', async (_name, entry) => {
      expect(validProblems(ruleId, await scanFixture(entry))).toEqual([]);
    });
  }

  if (invalid.length) {
    it.each(invalid.map((v) => [v.slice(dir.length + 1), v]))('finds exactly what %s declares', async (_name, entry) => {
      const expected = expectations(entry, ruleId);
      expect(expected.length).toBeGreaterThan(0);
      expect(expectationProblems(ruleId, expected)).toEqual([]);
      const result = await scanFixture(entry);
      expect(foundKeys(result, expected)).toEqual(expected.map(expectationKey).sort());
    });
  }

  it('has valid and invalid fixtures', () => {
    expect(existsSync(join(dir, 'valid')) && valid.length > 0).toBe(true);
    expect(existsSync(join(dir, 'invalid')) && invalid.length > 0).toBe(true);
  });
});
