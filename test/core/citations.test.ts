/**
 * User-facing text cites Microsoft's articles by English title with a link: never an internal
 * source number ("seed 003") and never the title of a machine-translated (Dutch or German) copy.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_RULES } from '../../src/rules/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Internal source numbers and words from the Dutch and German editions' titles and headings. */
const FORBIDDEN: RegExp[] = [
  /\bseeds? (?:\d|and\b)/i,
  /\bAanbevolen procedures\b/i,
  /\bBeveiligingsoverwegingen\b/i,
  /\b(?:pod|cluster)beveiliging\b/i,
  /\bcontainerafbeeldingen\b/i,
  /\bRegelmatig bijwerken\b/i,
  /\bexemplaarmetagegevens\b/i,
  /\bBest Practices für\b/i,
  /\bPodsicherheit\b/i,
  /\bverwalteter\b/i,
  /\bPodidentitäten\b/i,
  /\bCSI-Treiber\b/i,
];

function offences(text: string): string[] {
  return FORBIDDEN.filter((re) => re.test(text)).map((re) => re.source);
}

describe('citations in user-facing text', () => {
  it.each(ALL_RULES.map((r) => [r.meta.id, r]))('rule %s names no seed number and no translated title', (_id, rule) => {
    const m = rule.meta;
    const fields: Record<string, string> = {
      title: m.title,
      description: m.description,
      why: m.why,
      fix: m.fix,
      silentUnless: m.silentUnless ?? '',
      ...Object.fromEntries(Object.entries(m.messages).map(([k, v]) => [`messages.${k}`, v])),
    };
    const found = Object.entries(fields).flatMap(([field, text]) => offences(text).map((o) => `${field}: ${o}`));
    expect(found).toEqual([]);
  });

  // The rules whose texts the CLI issue (#18) rewrote; the other rules' owners add their links.
  const LINKED = [
    'removed-api-version',
    'networkpolicy-invalid',
    'imds-egress-not-blocked',
    'retired-keyvault-flexvolume',
    'retired-pod-identity',
  ];

  it('links Microsoft articles where a why cites one', () => {
    for (const r of ALL_RULES.filter((x) => LINKED.includes(x.meta.id))) {
      if (!/Best practices for|Security considerations for/.test(r.meta.why)) continue;
      expect([r.meta.id, /https:\/\/learn\.microsoft\.com\//.test(r.meta.why)]).toEqual([r.meta.id, true]);
    }
  });

  it.each(['README.md', 'CHANGELOG.md', 'docs/azure-overview.md', 'task/task.json', 'action.yml'])(
    '%s names no seed number and no translated title',
    (file) => {
      expect(offences(readFileSync(join(ROOT, file), 'utf8'))).toEqual([]);
    },
  );

  it('the generated rule pages too', () => {
    const dir = join(ROOT, 'docs', 'rules');
    const bad = readdirSync(dir).filter((f) => offences(readFileSync(join(dir, f), 'utf8')).length > 0);
    expect(bad).toEqual([]);
  });

  it('catches what it is meant to catch', () => {
    expect(offences('as seed 001 says')).not.toEqual([]);
    expect(offences('Seeds 000 and 002 say')).not.toEqual([]);
    expect(offences('"Toegang tot de API voor exemplaarmetagegevens beperken"')).not.toEqual([]);
    expect(offences('Best practices for pod security in Azure Kubernetes Service (AKS)')).toEqual([]);
  });
});
