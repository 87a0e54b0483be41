/** Keeps the deprecated-API table (src/data/deprecated-apis.ts) sorted, consistent and complete. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareVersions, DEPRECATED_APIS, deprecatedApi } from '../../src/data/deprecated-apis.js';
import { runCli } from '../../src/platform/cli.js';
import { scan } from '../../src/engine.js';

/**
 * An independent transcription of the upstream guide's "Removed APIs by release"
 * (https://kubernetes.io/docs/reference/using-api/deprecation-guide/), plus PodSecurityPolicy.
 */
const GUIDE: Record<string, string[]> = {
  '1.16': [
    'extensions/v1beta1 NetworkPolicy',
    'extensions/v1beta1 PodSecurityPolicy',
    'extensions/v1beta1 DaemonSet',
    'apps/v1beta2 DaemonSet',
    'extensions/v1beta1 Deployment',
    'apps/v1beta1 Deployment',
    'apps/v1beta2 Deployment',
    'apps/v1beta1 StatefulSet',
    'apps/v1beta2 StatefulSet',
    'extensions/v1beta1 ReplicaSet',
    'apps/v1beta1 ReplicaSet',
    'apps/v1beta2 ReplicaSet',
    'apps/v1beta1 ControllerRevision',
    'apps/v1beta2 ControllerRevision',
  ],
  '1.22': [
    'admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration',
    'admissionregistration.k8s.io/v1beta1 ValidatingWebhookConfiguration',
    'apiextensions.k8s.io/v1beta1 CustomResourceDefinition',
    'apiregistration.k8s.io/v1beta1 APIService',
    'authentication.k8s.io/v1beta1 TokenReview',
    'authorization.k8s.io/v1beta1 LocalSubjectAccessReview',
    'authorization.k8s.io/v1beta1 SelfSubjectAccessReview',
    'authorization.k8s.io/v1beta1 SubjectAccessReview',
    'certificates.k8s.io/v1beta1 CertificateSigningRequest',
    'coordination.k8s.io/v1beta1 Lease',
    'extensions/v1beta1 Ingress',
    'networking.k8s.io/v1beta1 Ingress',
    'networking.k8s.io/v1beta1 IngressClass',
    'rbac.authorization.k8s.io/v1beta1 ClusterRole',
    'rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding',
    'rbac.authorization.k8s.io/v1beta1 Role',
    'rbac.authorization.k8s.io/v1beta1 RoleBinding',
    'scheduling.k8s.io/v1beta1 PriorityClass',
    'storage.k8s.io/v1beta1 CSIDriver',
    'storage.k8s.io/v1beta1 CSINode',
    'storage.k8s.io/v1beta1 StorageClass',
    'storage.k8s.io/v1beta1 VolumeAttachment',
  ],
  '1.25': [
    'batch/v1beta1 CronJob',
    'discovery.k8s.io/v1beta1 EndpointSlice',
    'events.k8s.io/v1beta1 Event',
    'autoscaling/v2beta1 HorizontalPodAutoscaler',
    'policy/v1beta1 PodDisruptionBudget',
    'policy/v1beta1 PodSecurityPolicy',
    'node.k8s.io/v1beta1 RuntimeClass',
  ],
  '1.26': [
    'flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema',
    'flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfiguration',
    'autoscaling/v2beta2 HorizontalPodAutoscaler',
  ],
  '1.27': ['storage.k8s.io/v1beta1 CSIStorageCapacity'],
  '1.29': ['flowcontrol.apiserver.k8s.io/v1beta2 FlowSchema', 'flowcontrol.apiserver.k8s.io/v1beta2 PriorityLevelConfiguration'],
  '1.32': ['flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema', 'flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration'],
};

describe('deprecated API table', () => {
  it('is sorted by apiVersion, then kind, without duplicates', () => {
    const keys = DEPRECATED_APIS.map((d) => `${d.apiVersion} ${d.kind}`);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('lists every removal of the upstream guide, at the right release, and nothing else removed', () => {
    const table = DEPRECATED_APIS.filter((d) => d.removedIn !== null).map((d) => `${d.removedIn} ${d.apiVersion} ${d.kind}`);
    const guide = Object.entries(GUIDE).flatMap(([release, list]) => list.map((x) => `${release} ${x}`));
    expect(table.sort()).toEqual(guide.sort());
  });

  it('is complete for the kinds it lists: every removed beta version of a listed kind is in the guide', () => {
    const kinds = new Set(DEPRECATED_APIS.map((d) => d.kind));
    for (const [, list] of Object.entries(GUIDE)) {
      for (const entry of list) {
        const [apiVersion, kind] = entry.split(' ') as [string, string];
        if (kinds.has(kind)) expect([entry, deprecatedApi(apiVersion, kind) !== undefined]).toEqual([entry, true]);
      }
    }
  });

  it('has consistent versions and a usable replacement for every entry', () => {
    for (const d of DEPRECATED_APIS) {
      const id = `${d.apiVersion} ${d.kind}`;
      if (d.removedIn) expect([id, compareVersions(d.deprecatedIn, d.removedIn) < 0]).toEqual([id, true]);
      // Replacements are newest first; one of them is served before the removal (a migration path).
      const since = d.replacements.map((r) => r.since);
      expect([id, since]).toEqual([id, [...since].sort(compareVersions).reverse()]);
      if (d.removedIn && since.length > 0) expect([id, since.some((v) => compareVersions(v, d.removedIn!) < 0)]).toEqual([id, true]);
      // The newest replacement is a current API (not itself in the table), or `instead` says what to do.
      const newest = d.replacements[0];
      const current = newest !== undefined && deprecatedApi(newest.apiVersion, newest.kind ?? d.kind) === undefined;
      expect([id, current || typeof d.instead === 'string']).toEqual([id, true]);
    }
  });

  it('compares versions numerically', () => {
    expect(compareVersions('1.9', '1.16')).toBeLessThan(0);
    expect(compareVersions('1.34', '1.34')).toBe(0);
    expect(compareVersions('1.100', '1.34')).toBeGreaterThan(0);
  });
});

describe('removed-api-version against a target version', () => {
  const root = mkdtempSync(join(tmpdir(), 'pg-api-'));
  writeFileSync(
    join(root, 'fc.yaml'),
    'apiVersion: flowcontrol.apiserver.k8s.io/v1beta1\nkind: FlowSchema\nmetadata: {name: a}\n---\napiVersion: extensions/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: p}\n',
  );
  const messages = async (version: string): Promise<string[]> => {
    const result = await scan({ root, config: { kubernetesVersion: version } });
    return result.findings.filter((f) => f.ruleId === 'removed-api-version').map((f) => `${f.level}: ${f.message}`);
  };

  it('names the newest replacement the target serves', async () => {
    expect(await messages('1.27')).toEqual([
      'error: FlowSchema flowcontrol.apiserver.k8s.io/v1beta1 is no longer served since Kubernetes 1.26 (target 1.27): use flowcontrol.apiserver.k8s.io/v1beta3.',
      expect.stringContaining(
        'error: PodSecurityPolicy extensions/v1beta1 is no longer served since Kubernetes 1.16 (target 1.27) and has no replacement API: use Pod Security Admission',
      ),
    ]);
    expect(await messages('1.23')).toEqual([
      'warning: FlowSchema flowcontrol.apiserver.k8s.io/v1beta1 is deprecated and removed in Kubernetes 1.26 (target 1.23): use flowcontrol.apiserver.k8s.io/v1beta2.',
      expect.stringContaining('error: PodSecurityPolicy extensions/v1beta1'),
    ]);
    expect(await messages('1.12')).toEqual([
      'warning: PodSecurityPolicy extensions/v1beta1 is deprecated and removed in Kubernetes 1.16 (target 1.12): use policy/v1beta1.',
    ]);
  });

  it('explains an unquoted kubernetesVersion in the configuration', async () => {
    await expect(scan({ root, config: { kubernetesVersion: 1.3 } })).rejects.toThrow('must be a quoted minor version such as "1.34"');
  });

  it('takes --kubernetes-version on the command line and rejects a malformed one', async () => {
    let out = '';
    let err = '';
    const io = { cwd: root, env: {}, stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t), isTTY: false };
    expect(await runCli(['scan', '--format', 'json', '--fail-on', 'never', '--kubernetes-version', '1.23'], io)).toBe(0);
    expect(out).toContain('(target 1.23)');
    expect(await runCli(['scan', '--kubernetes-version', '1.2x'], io)).toBe(2);
    expect(err).toContain('--kubernetes-version must be a Kubernetes version such as 1.34 or 1.34.2 (got "1.2x")');
  });
});
