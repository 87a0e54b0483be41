/** Pull-request scans see only changed files: cross-file rules must not treat absence as proof. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../src/engine.js';
import { onlyRules } from '../helpers/rules.js';

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: block-imds
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - ipBlock:
            cidr: 0.0.0.0/0
            except: [169.254.169.254/32]
`;
const pod = (ns: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: ${ns}\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n`;

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-partial-'));
  for (const [p, c] of Object.entries(files)) writeFileSync(join(dir, p), c);
  return dir;
}

describe('partial (changed-files) scans', () => {
  const config = onlyRules('imds-egress-not-blocked');

  it('does not report a missing metadata policy that may sit in an unchanged file', async () => {
    const root = repo({ 'policy.yaml': POLICY, 'pod.yaml': pod('shop') });
    const full = await scan({ root, config });
    expect(full.findings.filter((f) => f.ruleId === 'imds-egress-not-blocked')).toEqual([]);
    const changed = await scan({ root, config, changedFiles: ['pod.yaml'] });
    expect(changed.findings.filter((f) => f.ruleId === 'imds-egress-not-blocked')).toEqual([]);
  });

  it('still reports a namespace the change itself creates without a policy', async () => {
    const root = repo({ 'ns.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: billing\n---\n${pod('billing')}` });
    const changed = await scan({ root, config, changedFiles: ['ns.yaml'] });
    expect(changed.findings.filter((f) => f.ruleId === 'imds-egress-not-blocked').map((f) => f.messageId)).toEqual(['missing']);
  });

  it('reports the missing policy on a full scan', async () => {
    const root = repo({ 'pod.yaml': pod('shop') });
    const full = await scan({ root, config });
    expect(full.findings.filter((f) => f.ruleId === 'imds-egress-not-blocked').map((f) => f.messageId)).toEqual(['missing']);
  });
});
