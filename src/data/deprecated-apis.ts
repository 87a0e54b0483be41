/**
 * Kubernetes API versions that are removed (no longer served) or deprecated, per kind.
 *
 * Source: the upstream "Deprecated API Migration Guide",
 * https://kubernetes.io/docs/reference/using-api/deprecation-guide/ ("Removed APIs by release":
 * v1.16, v1.22, v1.25, v1.26, v1.27, v1.29, v1.32), plus the PodSecurityPolicy deprecation
 * (https://kubernetes.io/blog/2021/04/06/podsecuritypolicy-deprecation-past-present-and-future/)
 * and the v1 Endpoints deprecation of v1.33 (https://kubernetes.io/blog/2025/04/24/endpoints-deprecation/).
 *
 * `removedIn`: the first release that stops serving the version (null: deprecated, not yet removed).
 * `deprecatedIn`: from when podguard warns: the first release that serves a replacement (the
 * guide's "available since"), or the deprecation release when there is no replacement.
 * `replacements`: newest first; the message names the newest one the target version serves.
 * Kept sorted by apiVersion, then kind (test/core/deprecated-apis.test.ts).
 */

/** The newest Kubernetes minor release this table was checked against: later targets get a warning. */
export const KUBERNETES_DATA_VERSION = '1.34';

/** A replacement API version (and kind, when the kind changes too). */
export interface ApiReplacement {
  apiVersion: string;
  kind?: string;
  /** First release that serves it. */
  since: string;
}

/** One deprecated or removed API version of one kind. */
export interface DeprecatedApi {
  apiVersion: string;
  kind: string;
  deprecatedIn: string;
  removedIn: string | null;
  replacements: ApiReplacement[];
  /** What to do instead when there is no replacement API. */
  instead?: string;
}

const APPS_V1: ApiReplacement[] = [{ apiVersion: 'apps/v1', since: '1.9' }];
const FLOWCONTROL: ApiReplacement[] = [
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', since: '1.29' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', since: '1.26' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', since: '1.23' },
];
const PSA = 'Pod Security Admission (pod-security.kubernetes.io/enforce namespace labels) or a policy engine such as Azure Policy for AKS';

const r = (
  apiVersion: string,
  kind: string,
  removedIn: string | null,
  replacements: ApiReplacement[],
  deprecatedIn?: string,
  instead?: string,
): DeprecatedApi => ({
  apiVersion,
  kind,
  deprecatedIn: deprecatedIn ?? replacements.map((x) => x.since).sort(compareVersions)[0]!,
  removedIn,
  replacements,
  ...(instead ? { instead } : {}),
});

/** The table (see the file comment for its source and meaning). */
export const DEPRECATED_APIS: readonly DeprecatedApi[] = [
  r('admissionregistration.k8s.io/v1beta1', 'MutatingWebhookConfiguration', '1.22', [
    { apiVersion: 'admissionregistration.k8s.io/v1', since: '1.16' },
  ]),
  r('admissionregistration.k8s.io/v1beta1', 'ValidatingWebhookConfiguration', '1.22', [
    { apiVersion: 'admissionregistration.k8s.io/v1', since: '1.16' },
  ]),
  r('apiextensions.k8s.io/v1beta1', 'CustomResourceDefinition', '1.22', [{ apiVersion: 'apiextensions.k8s.io/v1', since: '1.16' }]),
  r('apiregistration.k8s.io/v1beta1', 'APIService', '1.22', [{ apiVersion: 'apiregistration.k8s.io/v1', since: '1.10' }]),
  r('apps/v1beta1', 'ControllerRevision', '1.16', APPS_V1),
  r('apps/v1beta1', 'Deployment', '1.16', APPS_V1),
  r('apps/v1beta1', 'ReplicaSet', '1.16', APPS_V1),
  r('apps/v1beta1', 'StatefulSet', '1.16', APPS_V1),
  r('apps/v1beta2', 'ControllerRevision', '1.16', APPS_V1),
  r('apps/v1beta2', 'DaemonSet', '1.16', APPS_V1),
  r('apps/v1beta2', 'Deployment', '1.16', APPS_V1),
  r('apps/v1beta2', 'ReplicaSet', '1.16', APPS_V1),
  r('apps/v1beta2', 'StatefulSet', '1.16', APPS_V1),
  r('authentication.k8s.io/v1beta1', 'TokenReview', '1.22', [{ apiVersion: 'authentication.k8s.io/v1', since: '1.6' }]),
  r('authorization.k8s.io/v1beta1', 'LocalSubjectAccessReview', '1.22', [{ apiVersion: 'authorization.k8s.io/v1', since: '1.6' }]),
  r('authorization.k8s.io/v1beta1', 'SelfSubjectAccessReview', '1.22', [{ apiVersion: 'authorization.k8s.io/v1', since: '1.6' }]),
  r('authorization.k8s.io/v1beta1', 'SubjectAccessReview', '1.22', [{ apiVersion: 'authorization.k8s.io/v1', since: '1.6' }]),
  r('autoscaling/v2beta1', 'HorizontalPodAutoscaler', '1.25', [
    { apiVersion: 'autoscaling/v2', since: '1.23' },
    { apiVersion: 'autoscaling/v2beta2', since: '1.12' },
  ]),
  r('autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.26', [{ apiVersion: 'autoscaling/v2', since: '1.23' }]),
  r('batch/v1beta1', 'CronJob', '1.25', [{ apiVersion: 'batch/v1', since: '1.21' }]),
  r('certificates.k8s.io/v1beta1', 'CertificateSigningRequest', '1.22', [{ apiVersion: 'certificates.k8s.io/v1', since: '1.19' }]),
  r('coordination.k8s.io/v1beta1', 'Lease', '1.22', [{ apiVersion: 'coordination.k8s.io/v1', since: '1.14' }]),
  r('discovery.k8s.io/v1beta1', 'EndpointSlice', '1.25', [{ apiVersion: 'discovery.k8s.io/v1', since: '1.21' }]),
  r('events.k8s.io/v1beta1', 'Event', '1.25', [{ apiVersion: 'events.k8s.io/v1', since: '1.19' }]),
  r('extensions/v1beta1', 'DaemonSet', '1.16', APPS_V1),
  r('extensions/v1beta1', 'Deployment', '1.16', APPS_V1),
  r('extensions/v1beta1', 'Ingress', '1.22', [
    { apiVersion: 'networking.k8s.io/v1', since: '1.19' },
    { apiVersion: 'networking.k8s.io/v1beta1', since: '1.14' },
  ]),
  r('extensions/v1beta1', 'NetworkPolicy', '1.16', [{ apiVersion: 'networking.k8s.io/v1', since: '1.8' }]),
  r('extensions/v1beta1', 'PodSecurityPolicy', '1.16', [{ apiVersion: 'policy/v1beta1', since: '1.10' }], undefined, PSA),
  r('extensions/v1beta1', 'ReplicaSet', '1.16', APPS_V1),
  r('flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema', '1.26', FLOWCONTROL),
  r('flowcontrol.apiserver.k8s.io/v1beta1', 'PriorityLevelConfiguration', '1.26', FLOWCONTROL),
  r('flowcontrol.apiserver.k8s.io/v1beta2', 'FlowSchema', '1.29', FLOWCONTROL.slice(0, 2)),
  r('flowcontrol.apiserver.k8s.io/v1beta2', 'PriorityLevelConfiguration', '1.29', FLOWCONTROL.slice(0, 2)),
  r('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', '1.32', FLOWCONTROL.slice(0, 1)),
  r('flowcontrol.apiserver.k8s.io/v1beta3', 'PriorityLevelConfiguration', '1.32', FLOWCONTROL.slice(0, 1)),
  r('networking.k8s.io/v1beta1', 'Ingress', '1.22', [{ apiVersion: 'networking.k8s.io/v1', since: '1.19' }]),
  r('networking.k8s.io/v1beta1', 'IngressClass', '1.22', [{ apiVersion: 'networking.k8s.io/v1', since: '1.19' }]),
  r('node.k8s.io/v1beta1', 'RuntimeClass', '1.25', [{ apiVersion: 'node.k8s.io/v1', since: '1.20' }]),
  r('policy/v1beta1', 'PodDisruptionBudget', '1.25', [{ apiVersion: 'policy/v1', since: '1.21' }]),
  r('policy/v1beta1', 'PodSecurityPolicy', '1.25', [], '1.21', PSA),
  r('rbac.authorization.k8s.io/v1beta1', 'ClusterRole', '1.22', [{ apiVersion: 'rbac.authorization.k8s.io/v1', since: '1.8' }]),
  r('rbac.authorization.k8s.io/v1beta1', 'ClusterRoleBinding', '1.22', [{ apiVersion: 'rbac.authorization.k8s.io/v1', since: '1.8' }]),
  r('rbac.authorization.k8s.io/v1beta1', 'Role', '1.22', [{ apiVersion: 'rbac.authorization.k8s.io/v1', since: '1.8' }]),
  r('rbac.authorization.k8s.io/v1beta1', 'RoleBinding', '1.22', [{ apiVersion: 'rbac.authorization.k8s.io/v1', since: '1.8' }]),
  r('scheduling.k8s.io/v1beta1', 'PriorityClass', '1.22', [{ apiVersion: 'scheduling.k8s.io/v1', since: '1.14' }]),
  r('storage.k8s.io/v1beta1', 'CSIDriver', '1.22', [{ apiVersion: 'storage.k8s.io/v1', since: '1.19' }]),
  r('storage.k8s.io/v1beta1', 'CSINode', '1.22', [{ apiVersion: 'storage.k8s.io/v1', since: '1.17' }]),
  r('storage.k8s.io/v1beta1', 'CSIStorageCapacity', '1.27', [{ apiVersion: 'storage.k8s.io/v1', since: '1.24' }]),
  r('storage.k8s.io/v1beta1', 'StorageClass', '1.22', [{ apiVersion: 'storage.k8s.io/v1', since: '1.6' }]),
  r('storage.k8s.io/v1beta1', 'VolumeAttachment', '1.22', [{ apiVersion: 'storage.k8s.io/v1', since: '1.13' }]),
  r('v1', 'Endpoints', null, [{ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', since: '1.21' }], '1.33'),
];

/** Compares `1.16` and `1.9` as versions (by minor, then any further parts). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const BY_KEY = new Map(DEPRECATED_APIS.map((d) => [`${d.apiVersion} ${d.kind}`, d]));

/** The table entry for an object's apiVersion and kind, if any. */
export function deprecatedApi(apiVersion: string, kind: string): DeprecatedApi | undefined {
  return BY_KEY.get(`${apiVersion} ${kind}`);
}
