import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../src/engine.js';
import { renderSummary, verdict } from '../../src/report/summary.js';

const pod = (n: number): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${n}\nspec:\n  containers:\n    - name: c|x\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n        runAsNonRoot: true\n`;

describe('Markdown summary', () => {
  it('has the verdict, counts, linked findings, each fix once and how to suppress', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pg-sum-'));
    writeFileSync(join(root, 'a.yaml'), [pod(1), pod(2)].join('---\n'));
    // The counts below are about privileged-container alone; the namespace-wide IMDS warning is off.
    const result = await scan({ root, config: { rules: { 'imds-egress-not-blocked': 'off' } } });
    const md = renderSummary(result, { failOn: 'error', link: (f, l) => `https://example.test/blob/abc/${f}#L${l}` });
    expect(md).toContain('## ❌ podguard');
    expect(md).toContain('podguard found 2 errors, 0 warnings, 0 notes in 1 Kubernetes manifest; failing at fail-on: error.');
    expect(md).toContain('| [a.yaml:10](https://example.test/blob/abc/a.yaml#L10) | `privileged-container` |');
    expect(md).toContain('container "c\\|x"');
    expect(md.match(/<summary><code>privileged-container<\/code>/g)).toHaveLength(1);
    expect(md).toContain('# podguard-ignore <rule-id> -- <why this is acceptable>');
    expect(verdict(result, 'never').failed).toBe(false);
  });

  it('stays under its size limit and says how many findings it left out', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pg-sum-'));
    writeFileSync(join(root, 'a.yaml'), Array.from({ length: 400 }, (_, i) => pod(i)).join('---\n'));
    const result = await scan({ root });
    const md = renderSummary(result, { failOn: 'error', maxBytes: 20_000 });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(20_000);
    expect(md).toMatch(/…and \d+ more findings/);
  });
});
