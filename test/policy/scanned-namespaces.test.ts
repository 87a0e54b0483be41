/**
 * namespaceSelector knows the Namespace objects of the scanned manifests too (not only those in
 * the admissionPolicies paths); a namespace podguard does not know is assumed to match.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../src/engine.js';
import { addScannedNamespaces } from '../../src/policy/load.js';
import type { PolicySet } from '../../src/policy/load.js';
import { ALL_RULES } from '../../src/rules/index.js';

const OFF = Object.fromEntries(ALL_RULES.filter((r) => !r.meta.system).map((r) => [r.meta.id, 'off']));

const POLICY = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: prod-replicas
spec:
  matchConstraints:
    resourceRules:
      - apiGroups: ["apps"]
        apiVersions: ["v1"]
        operations: ["CREATE"]
        resources: ["deployments"]
  validations:
    - expression: "object.spec.replicas >= 3"
      message: production runs at least 3 replicas
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: prod-replicas
spec:
  policyName: prod-replicas
  validationActions: [Deny]
  matchResources:
    namespaceSelector:
      matchLabels:
        environment: production
`;

const NAMESPACE = (name: string, env: string): string =>
  `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels:\n    environment: ${env}\n`;

const DEPLOYMENT = (name: string, ns: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  replicas: 1\n`;

describe('namespaceSelector and the scanned Namespace objects', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pg-policy-ns-'));
    mkdirSync(join(dir, 'policies'));
    mkdirSync(join(dir, 'deploy'));
    writeFileSync(join(dir, 'policies/prod.yaml'), POLICY);
    writeFileSync(join(dir, 'deploy/namespaces.yaml'), `${NAMESPACE('prod', 'production')}---\n${NAMESPACE('staging', 'test')}`);
    writeFileSync(join(dir, 'deploy/prod.yaml'), DEPLOYMENT('web', 'prod'));
    writeFileSync(join(dir, 'deploy/staging.yaml'), DEPLOYMENT('web', 'staging'));
    writeFileSync(join(dir, 'deploy/other.yaml'), DEPLOYMENT('web', 'unknown'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const files = async (extra: Record<string, unknown> = {}, threads = 1): Promise<string[]> => {
    const r = await scan({ root: dir, config: { admissionPolicies: ['policies'], rules: OFF }, threads, baseline: false, ...extra });
    return r.findings
      .filter((f) => f.ruleId === 'policy/prod-replicas')
      .map((f) => f.file)
      .sort();
  };

  it('matches by the labels of a Namespace in another scanned file; an unknown namespace is assumed to match', async () => {
    expect(await files()).toEqual(['deploy/other.yaml', 'deploy/prod.yaml']);
  });

  it('knows them on worker threads too', async () => {
    expect(await files({ workerScript: join(process.cwd(), 'dist/worker.js') }, 2)).toEqual(['deploy/other.yaml', 'deploy/prod.yaml']);
  });

  it('lets a Namespace of the policy paths win over a scanned one of the same name', async () => {
    writeFileSync(join(dir, 'policies/namespaces.yaml'), NAMESPACE('staging', 'production'));
    expect(await files()).toEqual(['deploy/other.yaml', 'deploy/prod.yaml', 'deploy/staging.yaml']);
  });

  it('sees only the files of the scan (a changed-files scan without the Namespace assumes a match)', async () => {
    expect(await files({ changedFiles: ['deploy/staging.yaml'] })).toEqual(['deploy/staging.yaml']);
  });

  it('parses only files with a kind: Namespace line and skips rendered streams', () => {
    const set: PolicySet = { policies: [], bindings: [], params: [], namespaces: {} };
    const n = addScannedNamespaces(
      set,
      [
        { absPath: join(dir, 'deploy/namespaces.yaml'), relPath: 'deploy/namespaces.yaml' },
        { absPath: join(dir, 'deploy/prod.yaml'), relPath: 'deploy/prod.yaml' },
        { absPath: join(dir, 'deploy/namespaces.yaml'), relPath: 'chart/rendered.yaml', rendered: true },
      ],
      1 << 20,
    );
    expect(n).toBe(2);
    expect(set.namespaces).toEqual({ prod: { environment: 'production' }, staging: { environment: 'test' } });
  });
});
