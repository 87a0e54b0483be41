/** Odd shapes never crash a secret rule: every malformed document yields findings or nothing, never internal-error. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { scan } from '../../src/engine.js';

const leaf = fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant('ghp_' + 'Ab1'.repeat(12)));
const value = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom('name', 'value', 'secureValue', 'password', 'data', 'env', 'DB_PASSWORD', '.dockerconfigjson', 'auths'),
      tie('node'),
      { maxKeys: 3 },
    ),
  ),
})).node;

const doc = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constantFrom('Secret', 'ConfigMap', 'Pod'),
  type: fc.constantFrom('Opaque', 'kubernetes.io/dockerconfigjson', 'Microsoft.ContainerInstance/containerGroups'),
  metadata: fc.record({ name: fc.string({ maxLength: 8 }) }),
  data: value,
  stringData: value,
  spec: fc.record({
    containers: fc.array(fc.record({ name: fc.string({ maxLength: 5 }), image: fc.constant('nginx:1'), env: value }), { maxLength: 2 }),
  }),
  properties: fc.record({ containers: value, imageRegistryCredentials: value }),
  services: value,
});

describe('secret rules on malformed shapes', () => {
  it('never fail with an internal error', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pg-fuzz-'));
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(doc, { minLength: 1, maxLength: 3 }), fc.string({ maxLength: 200 }), async (docs, dockerfile) => {
          const text = docs.map((d) => dump(d)).join('---\n');
          writeFileSync(join(root, 'a.yaml'), text);
          writeFileSync(join(root, 'docker-compose.yml'), text);
          writeFileSync(join(root, 'Dockerfile'), `FROM alpine:3\nENV ${dockerfile}\nRUN ${dockerfile}\nCOPY ${dockerfile} /x\n`);
          const result = await scan({ root });
          const crashes = result.findings.filter((f) => f.ruleId === 'internal-error').map((f) => f.message);
          expect(crashes).toEqual([]);
        }),
        { numRuns: 60 },
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
