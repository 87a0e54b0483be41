/** Every format a rule claims in `meta.kinds` has at least one invalid fixture of that format. */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_RULES } from '../../src/rules/index.js';
import { nameKind } from '../../src/parse/index.js';
import type { FileKind } from '../../src/types.js';
import { entries, fixtureFiles } from '../helpers/fixtures.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The format of one fixture file, the way the scanner classifies it. */
function formatOf(path: string): FileKind | undefined {
  const kind = nameKind(basename(path));
  if (kind === 'dockerfile' || kind === 'compose') return kind;
  if (kind !== 'yaml' && kind !== 'json') return undefined;
  return /microsoft\.containerinstance\/containergroups/i.test(readFileSync(path, 'utf8')) ? 'aci' : 'kubernetes';
}

/** Rules whose checks are engine-made or about suppressions: their fixtures follow other rules. */
const exempt = (tags: readonly string[], system: boolean | undefined): boolean => system === true || tags.includes('suppression');

describe('every claimed format has an invalid fixture', () => {
  const rules = ALL_RULES.filter((r) => !exempt(r.meta.tags, r.meta.system));
  it.each(rules.map((r) => [r.meta.id, r] as const))('%s', (id, rule) => {
    const formats = new Set<FileKind>();
    for (const entry of entries(join(HERE, id, 'invalid'))) for (const f of fixtureFiles(entry)) {
      const k = formatOf(f);
      if (k) formats.add(k);
    }
    const missing = rule.meta.kinds.filter((k) => !formats.has(k));
    expect(missing).toEqual([]);
  });
});

describe('fix snippets per format', () => {
  it.each(ALL_RULES.map((r) => [r.meta.id, r] as const))('%s writes fixes only for formats it claims', (_id, rule) => {
    const extra = Object.keys(rule.meta.fixByFormat ?? {}).filter((k) => !rule.meta.kinds.includes(k as FileKind));
    expect(extra).toEqual([]);
  });
});
