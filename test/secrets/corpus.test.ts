/** A corpus of realistic clean files (vault references, encrypted secrets, secret mounts) gives no secret findings. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scan } from '../../src/engine.js';

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'secrets-corpus');

describe('secret false-positive corpus', () => {
  it('reports no secret finding on any clean file', async () => {
    const result = await scan({ root: CORPUS });
    // Every kind was really scanned (Helm values and workflows are skipped by design).
    expect(result.filesScanned).toEqual({ kubernetes: 5, dockerfile: 1, compose: 1, aci: 1 });
    const secretRules = result.enabledRules.filter((id) => id.startsWith('secret-'));
    expect(secretRules.length).toBeGreaterThanOrEqual(6);
    const findings = result.findings
      .filter((f) => f.ruleId.startsWith('secret-'))
      .map((f) => `${f.file}:${f.range.start.line} ${f.ruleId}/${f.messageId}`);
    expect(findings).toEqual([]);
  });
});
