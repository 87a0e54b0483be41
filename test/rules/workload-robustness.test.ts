/**
 * Workload rules meet arbitrary values where they expect a securityContext, a capability list,
 * a port or a volume: they must report or stay silent, never crash (internal-error).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { scan } from '../../src/engine.js';

const SECURITY_KEYS = [
  'allowPrivilegeEscalation',
  'privileged',
  'capabilities',
  'readOnlyRootFilesystem',
  'procMount',
  'runAsUser',
  'runAsNonRoot',
  'seccompProfile',
  'appArmorProfile',
  'seLinuxOptions',
  'windowsOptions',
  'sysctls',
  'fsGroup',
] as const;

const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(true, 'yes', 'Unconfined', 'unconfined', 0, '/var/run/docker.sock', ['ALL'], { add: ['SYS_ADMIN', 7, null] }, { type: 'spc_t', user: 3 }),
);

const securityContext = fc.dictionary(fc.constantFrom(...SECURITY_KEYS), anyValue, { maxKeys: 5 });

const container = fc.record(
  {
    name: fc.oneof(fc.string({ maxLength: 8 }), fc.constant(null)),
    securityContext: fc.oneof(securityContext, anyValue),
    ports: fc.oneof(fc.array(fc.record({ containerPort: anyValue, hostPort: anyValue })), anyValue),
    volumeMounts: anyValue,
    allowPrivilegeEscalation: anyValue,
  },
  { requiredKeys: [] },
);

const podSpec = fc.record(
  {
    securityContext: fc.oneof(securityContext, anyValue),
    containers: fc.oneof(fc.array(fc.oneof(container, anyValue), { maxLength: 3 }), anyValue),
    initContainers: fc.array(container, { maxLength: 2 }),
    ephemeralContainers: fc.oneof(fc.array(container, { maxLength: 1 }), anyValue),
    volumes: fc.oneof(fc.array(fc.record({ name: anyValue, hostPath: fc.oneof(fc.record({ path: anyValue }), anyValue) }), { maxLength: 3 }), anyValue),
    hostNetwork: anyValue,
    automountServiceAccountToken: anyValue,
    os: anyValue,
  },
  { requiredKeys: [] },
);

const workload = fc.oneof(
  podSpec.map((spec) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec })),
  fc.tuple(podSpec, anyValue).map(([spec, annotations]) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: { securityContext: annotations, template: { metadata: { annotations }, spec } },
  })),
);

describe('workload rules on arbitrary values', () => {
  it('never crash', async () => {
    const docs = fc.sample(workload, { numRuns: 300, seed: 20261124 });
    const root = mkdtempSync(join(tmpdir(), 'pg-fuzz-'));
    // JSON is YAML: one document per sample, in one multi-document file.
    writeFileSync(join(root, 'fuzz.yaml'), docs.map((d) => JSON.stringify(d)).join('\n---\n'));
    const result = await scan({ root });
    expect(result.findings.filter((f) => f.ruleId === 'internal-error' || f.ruleId === 'parse-error').map((f) => f.message)).toEqual([]);
    // The generator does reach the rules: they found something in 300 random pods.
    expect(new Set(result.findings.map((f) => f.ruleId)).size).toBeGreaterThan(5);
  });
});
