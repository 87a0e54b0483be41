/**
 * The container model meets arbitrary values in compose services, ACI groups (az YAML and ARM)
 * and the pod-template kinds beyond the core ones: the rules report or stay silent, never crash.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { scan } from '../../src/engine.js';

const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(true, 'host', 'root', '0:0', 0, '/var/run/docker.sock:/x', ['SYS_ADMIN'], ['seccomp:unconfined', 7, null], { service: 'a' }, { file: 'x.yml' }),
);

const volume = fc.oneof(
  anyValue,
  fc.constantFrom('/etc:/etc', './src:/app', 'data:/d', '/tmp', 'C:\\data:/data', '~/.kube:/k:ro'),
  fc.record({ type: fc.constantFrom('bind', 'volume', 'tmpfs', 'npipe', 3), source: anyValue, target: anyValue, read_only: anyValue }, { requiredKeys: [] }),
);

const service = fc.record(
  {
    image: anyValue,
    user: anyValue,
    privileged: anyValue,
    cap_add: fc.oneof(fc.array(anyValue, { maxLength: 3 }), anyValue),
    cap_drop: anyValue,
    network_mode: anyValue,
    pid: anyValue,
    security_opt: fc.oneof(fc.array(anyValue, { maxLength: 3 }), anyValue),
    volumes: fc.oneof(fc.array(volume, { maxLength: 3 }), anyValue),
    devices: anyValue,
    build: anyValue,
    extends: fc.oneof(anyValue, fc.constantFrom('a', 'b', 's0')),
    read_only: anyValue,
  },
  { requiredKeys: [] },
);

const compose = fc.oneof(fc.dictionary(fc.constantFrom('a', 'b', 's0', 's1'), fc.oneof(service, anyValue), { maxKeys: 4 }), anyValue);

const aciContainer = fc.record(
  {
    name: anyValue,
    properties: fc.oneof(
      fc.record(
        {
          image: anyValue,
          securityContext: fc.oneof(
            fc.record({ privileged: anyValue, allowPrivilegeEscalation: anyValue, runAsUser: anyValue, runAsGroup: anyValue, capabilities: anyValue }, { requiredKeys: [] }),
            anyValue,
          ),
          volumeMounts: anyValue,
        },
        { requiredKeys: [] },
      ),
      anyValue,
    ),
  },
  { requiredKeys: [] },
);

const aciProps = fc.record(
  {
    containers: fc.oneof(fc.array(aciContainer, { maxLength: 2 }), anyValue),
    initContainers: anyValue,
    ipAddress: fc.oneof(fc.record({ type: fc.constantFrom('Public', 'Private', 1), ports: anyValue }, { requiredKeys: [] }), anyValue),
    subnetIds: anyValue,
    volumes: fc.oneof(fc.array(fc.record({ name: anyValue, secret: anyValue, azureFile: anyValue }, { requiredKeys: [] }), { maxLength: 2 }), anyValue),
  },
  { requiredKeys: [] },
);

const templated = fc.tuple(fc.constantFrom('argoproj.io/v1alpha1|Workflow', 'argoproj.io/v1alpha1|Rollout', 'serving.knative.dev/v1|Service', 'tekton.dev/v1|Pipeline', 'keda.sh/v1alpha1|ScaledJob', 'example.com/v1|Thing'), anyValue, anyValue).map(
  ([k, a, b]) => {
    const [apiVersion, kind] = k.split('|');
    return { apiVersion, kind, metadata: { name: 'x' }, spec: { templates: [{ name: 't', container: a, sidecars: b }], template: { spec: { containers: [{ image: 'i', securityContext: a }] } }, tasks: [{ taskSpec: { steps: b } }], jobTargetRef: a, containers: [{ image: 'i' }] } };
  },
);

describe('container model on arbitrary values', () => {
  it('never crashes', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pg-model-fuzz-'));
    try {
      fc.sample(compose, { numRuns: 120, seed: 20261202 }).forEach((services, i) => writeFileSync(join(root, `compose.${i}.yaml`), JSON.stringify({ 'x-base': { privileged: true }, services })));
      const groups = fc.sample(aciProps, { numRuns: 120, seed: 20261203 });
      writeFileSync(join(root, 'aci.yaml'), groups.map((properties) => JSON.stringify({ name: 'g', type: 'Microsoft.ContainerInstance/containerGroups', properties })).join('\n---\n'));
      writeFileSync(join(root, 'arm.json'), JSON.stringify({ resources: groups.slice(0, 40).map((properties) => ({ type: 'Microsoft.ContainerInstance/containerGroups', name: '[parameters(\'n\')]', properties })) }));
      writeFileSync(join(root, 'kinds.yaml'), fc.sample(templated, { numRuns: 120, seed: 20261204 }).map((d) => JSON.stringify(d)).join('\n---\n'));
      const result = await scan({ root });
      expect(result.findings.filter((f) => f.ruleId === 'internal-error').map((f) => f.message)).toEqual([]);
      const rules = new Set(result.findings.map((f) => f.ruleId));
      for (const id of ['privileged-container', 'host-path', 'aci-public-ip', 'unrecognised-pod-template']) expect(rules).toContain(id);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
