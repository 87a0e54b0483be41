/** Keeps generated files, the registry, docs and fixtures honest. */
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_RULES } from '../../src/rules/index.js';
import { generatedFiles, withRulesTable } from '../../src/docs.js';
import { VERSION } from '../../src/version.js';
import { buildAll } from '../../scripts/build.mjs';
import { indexSource } from '../../scripts/gen-rules-index.mjs';
import { entries, expectations } from '../helpers/fixtures.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (p: string): string => readFileSync(join(ROOT, p), 'utf8');

/** Rules the engine produces itself; fixtures cannot provoke a crash, engine.test.ts does. */
const NO_FIXTURES = new Set(['internal-error']);

describe('project meta', () => {
  it('registers every rule file (src/rules/index.ts is current: npm run gen)', () => {
    expect(read('src/rules/index.ts')).toBe(indexSource());
  });

  it('has unique kebab-case ids and complete metadata', () => {
    const ids = ALL_RULES.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of ALL_RULES) {
      expect(r.meta.id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      expect(existsSync(join(ROOT, 'src', 'rules', `${r.meta.id}.ts`))).toBe(true);
      expect(r.meta.title.length).toBeGreaterThan(3);
      expect(r.meta.why.length).toBeGreaterThan(40);
      expect(r.meta.fix).toMatch(/```/);
      expect(Object.keys(r.meta.messages).length).toBeGreaterThan(0);
    }
  });

  it('has valid and invalid fixtures for every rule, and they use every message id', () => {
    for (const r of ALL_RULES) {
      if (NO_FIXTURES.has(r.meta.id)) continue;
      const dir = join(ROOT, 'test', 'rules', r.meta.id);
      expect([r.meta.id, entries(join(dir, 'valid')).length > 0]).toEqual([r.meta.id, true]);
      const invalid = entries(join(dir, 'invalid'));
      expect([r.meta.id, invalid.length > 0]).toEqual([r.meta.id, true]);
      const used = new Set(
        invalid
          .flatMap((e) => expectations(e, r.meta.id))
          .filter((e) => e.ruleId === r.meta.id)
          .map((e) => e.messageId),
      );
      const unused = Object.keys(r.meta.messages).filter((m) => !used.has(m));
      expect([r.meta.id, unused]).toEqual([r.meta.id, []]);
    }
  });

  it('keeps docs/rules, the config schema and the README rule table current (npm run docs)', () => {
    for (const [path, content] of generatedFiles(ALL_RULES)) expect([path, read(path)]).toEqual([path, content]);
    const docs = readdirSync(join(ROOT, 'docs', 'rules')).map((f) => `docs/rules/${f}`);
    expect(docs.sort()).toEqual([...generatedFiles(ALL_RULES).keys()].filter((p) => p.startsWith('docs/')).sort());
    const readme = read('README.md');
    expect(withRulesTable(readme, ALL_RULES)).toBe(readme);
  });

  it('keeps the version in step with package.json and the changelog', () => {
    expect(JSON.parse(read('package.json')).version).toBe(VERSION);
    expect(read('CHANGELOG.md')).toMatch(/## \[?Unreleased\]?/);
  });

  it('has a current dist/ (npm run build, then commit dist/)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'pg-dist-'));
    const files = await buildAll(out);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const rel = relative(out, f);
      const committed = join(ROOT, rel);
      expect([rel, existsSync(committed)]).toEqual([rel, true]);
      const same = readFileSync(committed).equals(readFileSync(f));
      expect([rel, same ? 'current' : 'stale: run npm run build']).toEqual([rel, 'current']);
    }
  });
});
