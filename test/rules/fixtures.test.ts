/** Runs every rule's valid and invalid fixtures (test/rules/<rule-id>/{valid,invalid}/). */
import { existsSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_RULES } from '../../src/rules/index.js';
import { asExpectation, entries, expectationKey, expectations, scanFixture } from '../helpers/fixtures.js';

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
      const result = await scanFixture(entry);
      const mine = result.findings.filter((f) => f.ruleId === ruleId && !f.suppression);
      expect(mine.map((f) => asExpectation(f, true, true))).toEqual([]);
    });
  }

  if (invalid.length) {
    it.each(invalid.map((v) => [v.slice(dir.length + 1), v]))('finds exactly what %s declares', async (_name, entry) => {
      const expected = expectations(entry, ruleId);
      expect(expected.length).toBeGreaterThan(0);
      const result = await scanFixture(entry);
      const rulesInPlay = new Set(expected.map((e) => e.ruleId));
      const actual = result.findings
        .filter((f) => rulesInPlay.has(f.ruleId) && !f.suppression)
        .map((f) => {
          const e = expected.find((x) => x.file === f.file && x.ruleId === f.ruleId && x.messageId === f.messageId && x.line === f.range.start.line);
          return asExpectation(f, e?.column !== undefined, e?.level !== undefined);
        })
        .sort();
      expect(actual).toEqual(expected.map(expectationKey).sort());
    });
  }

  it('has valid and invalid fixtures', () => {
    expect(existsSync(join(dir, 'valid')) && valid.length > 0).toBe(true);
    expect(existsSync(join(dir, 'invalid')) && invalid.length > 0).toBe(true);
  });
});
