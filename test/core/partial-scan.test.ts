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

  it('does not guess about a named ServiceAccount that may opt out in an unchanged file', async () => {
    const sa = (name: string): string =>
      `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  namespace: shop\nautomountServiceAccountToken: false\n`;
    const podOf = (account: string): string => pod('shop').replace('spec:\n', `spec:\n  serviceAccountName: ${account}\n`);
    const root = repo({ 'sa.yaml': sa('quiet'), 'pod.yaml': podOf('quiet'), 'other.yaml': podOf('loud'), 'plain.yaml': pod('shop') });
    const rule = onlyRules('service-account-token-automount');
    const notes = async (changedFiles?: string[]): Promise<string[]> =>
      (await scan({ root, config: rule, ...(changedFiles ? { changedFiles } : {}) })).findings
        .filter((f) => f.ruleId === 'service-account-token-automount')
        .map((f) => f.file)
        .sort();
    // Full scan: quiet opts out; loud is not in the repository, and plain uses the default account.
    expect(await notes()).toEqual(['other.yaml', 'plain.yaml']);
    // Changed files only: quiet's pod is silent, loud's too (its account may be elsewhere); the
    // default account is judged.
    expect(await notes(['pod.yaml', 'other.yaml', 'plain.yaml'])).toEqual(['plain.yaml']);
    // With the ServiceAccount in the change, the rule judges as on a full scan.
    expect(await notes(['sa.yaml', 'pod.yaml'])).toEqual([]);
    writeFileSync(join(root, 'sa.yaml'), sa('quiet').replace('false', 'true'));
    expect(await notes(['sa.yaml', 'pod.yaml'])).toEqual(['pod.yaml']);
  });

  it('reports the missing policy on a full scan', async () => {
    const root = repo({ 'pod.yaml': pod('shop') });
    const full = await scan({ root, config });
    expect(full.findings.filter((f) => f.ruleId === 'imds-egress-not-blocked').map((f) => f.messageId)).toEqual(['missing']);
  });
});
