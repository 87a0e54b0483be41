/**
 * Which objects a policy and its binding apply to: resource rules (kind to resource through a
 * table of built-ins, then the Kubernetes plural fallback), label selectors, and namespaces as far
 * as a repository can know them.
 */

/** Resources of built-in kinds whose plural is not the regular one, and cluster-scoped kinds. */
const RESOURCES: Record<string, string> = {
  Endpoints: 'endpoints',
  PodSecurityPolicy: 'podsecuritypolicies',
  NetworkPolicy: 'networkpolicies',
  Ingress: 'ingresses',
  IngressClass: 'ingressclasses',
  StorageClass: 'storageclasses',
  PriorityClass: 'priorityclasses',
  RuntimeClass: 'runtimeclasses',
  ResourceQuota: 'resourcequotas',
  ValidatingAdmissionPolicy: 'validatingadmissionpolicies',
  PodDisruptionBudget: 'poddisruptionbudgets',
  ServiceAccount: 'serviceaccounts',
  CustomResourceDefinition: 'customresourcedefinitions',
  HorizontalPodAutoscaler: 'horizontalpodautoscalers',
  EndpointSlice: 'endpointslices',
  ComponentStatus: 'componentstatuses',
  GatewayClass: 'gatewayclasses',
  CSIStorageCapacity: 'csistoragecapacities',
  VolumeAttributesClass: 'volumeattributesclasses',
  IPAddress: 'ipaddresses',
};

/** Cluster-scoped built-in kinds (everything else counts as namespaced). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
  'PriorityClass',
  'RuntimeClass',
  'IngressClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'APIService',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'CertificateSigningRequest',
  'GatewayClass',
  'VolumeAttributesClass',
  'IPAddress',
]);

/**
 * The resource (plural, lowercase) of a kind: the table above, else Kubernetes' own fallback for
 * unknown kinds (lowercase; `y` after a consonant becomes `ies`; `s`, `x`, `z`, `ch`, `sh` take `es`;
 * otherwise `s`), which is also what most CRDs declare.
 */
export function resourceOf(kind: string): string {
  const known = RESOURCES[kind];
  if (known) return known;
  const k = kind.toLowerCase();
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(k)) return `${k}es`;
  return `${k}s`;
}

/** True for cluster-scoped built-in kinds. */
export function clusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

/** What matching knows about the object under admission. */
export interface Candidate {
  group: string;
  version: string;
  kind: string;
  resource: string;
  name: string;
  namespace: string | undefined;
  labels: Record<string, string>;
}

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function has(values: string[], x: string): boolean {
  return values.includes('*') || values.includes(x);
}

type Rule = Record<string, unknown>;

function ruleMatches(rule: Rule, o: Candidate): boolean {
  if (!has(list(rule.apiGroups), o.group) || !has(list(rule.apiVersions), o.version)) return false;
  // A repository holds objects to create: CREATE is the operation.
  if (!has(list(rule.operations), 'CREATE')) return false;
  const resources = list(rule.resources);
  // `*` is every resource, `*/*` every resource and subresource; `pods/status` is a subresource only.
  if (!(resources.includes('*') || resources.includes('*/*') || resources.includes(o.resource))) return false;
  const names = list(rule.resourceNames);
  if (names.length > 0 && !names.includes(o.name)) return false;
  const scope = typeof rule.scope === 'string' ? rule.scope : '*';
  if (scope === 'Cluster' && !clusterScoped(o.kind)) return false;
  if (scope === 'Namespaced' && clusterScoped(o.kind)) return false;
  return true;
}

/** A Kubernetes label selector (matchLabels and matchExpressions); empty or absent matches all. */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  if (!selector || typeof selector !== 'object') return true;
  const s = selector as { matchLabels?: unknown; matchExpressions?: unknown };
  if (s.matchLabels && typeof s.matchLabels === 'object') {
    for (const [k, v] of Object.entries(s.matchLabels as Record<string, unknown>)) if (labels[k] !== String(v)) return false;
  }
  for (const e of Array.isArray(s.matchExpressions) ? (s.matchExpressions as Record<string, unknown>[]) : []) {
    const key = String(e.key ?? '');
    const values = list(e.values);
    const present = Object.prototype.hasOwnProperty.call(labels, key);
    switch (e.operator) {
      case 'In':
        if (!present || !values.includes(labels[key]!)) return false;
        break;
      case 'NotIn':
        if (present && values.includes(labels[key]!)) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** The labels of the object's namespace, when the scan or the policy paths hold its Namespace object. */
export type NamespaceLabels = (name: string) => Record<string, string> | undefined;

/**
 * True when `resources` (a policy's matchConstraints or a binding's matchResources) selects the
 * object. A namespaceSelector is matched against the Namespace object podguard knows (from the
 * policy paths or the scanned file); a namespace it does not know is assumed to match, so a
 * policy is never skipped for what the repository cannot say. Cluster-scoped objects pass it,
 * except Namespaces, matched on their own labels, as the API server does.
 */
export function resourcesMatch(resources: unknown, o: Candidate, namespaces: NamespaceLabels): boolean {
  if (!resources || typeof resources !== 'object') return true;
  const r = resources as Record<string, unknown>;
  const rules = Array.isArray(r.resourceRules) ? (r.resourceRules as Rule[]) : undefined;
  if (rules && !rules.some((x) => ruleMatches(x, o))) return false;
  const excluded = Array.isArray(r.excludeResourceRules) ? (r.excludeResourceRules as Rule[]) : [];
  if (excluded.some((x) => ruleMatches(x, o))) return false;
  if (!selectorMatches(r.objectSelector, o.labels)) return false;
  if (r.namespaceSelector) {
    if (o.kind === 'Namespace') return selectorMatches(r.namespaceSelector, o.labels);
    if (!clusterScoped(o.kind) && o.namespace !== undefined) {
      const labels = namespaces(o.namespace);
      if (labels && !selectorMatches(r.namespaceSelector, { 'kubernetes.io/metadata.name': o.namespace, ...labels })) return false;
    }
  }
  return true;
}
