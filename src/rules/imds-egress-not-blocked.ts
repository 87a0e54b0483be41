import type { CrossFileRule } from '../rule.js';
import { analyzePolicy, isNetworkPolicy, namespaceOf, rejected } from '../parse/netpol.js';
import { asBool, asMap, get, getPair } from '../parse/yaml.js';
import { place, spot } from './util.js';
import type { Spot } from './util.js';

/** A workload remembered until `finish`: only what the report needs (a range, not the YAML node). */
interface SeenWorkload extends Spot {
  namespace: string;
  label: string;
}

/** A policy remembered until `finish`, for reports about it. */
interface SeenPolicy extends Spot {
  label: string;
}

/** Per-namespace NetworkPolicy verdicts. */
interface NamespacePolicies {
  /** Valid policies that block IMDS for every pod. */
  blocking: string[];
  /** Policies that would block IMDS but that the API server rejects. */
  rejectedBlocking: string[];
  /** Valid egress policies that let (some) pods reach IMDS. */
  allowing: SeenPolicy[];
  /** Valid all-pods egress policies that still reach IMDS (meant to block, or simply open). */
  openAllPods: SeenPolicy[];
}

interface State {
  /**
   * The first workload of each namespace, in file order: the one a report names. An array per
   * namespace so runs of files merge (concatenated: the earlier run's workload comes first); a run
   * adds only its own first, so the state grows with namespaces, not with workloads.
   */
  firstWorkload: Map<string, SeenWorkload[]>;
  namespaces: Map<string, NamespacePolicies>;
  /** Namespaces whose Namespace object is in the scanned files. */
  declared: Set<string>;
}

function policiesOf(s: State, ns: string): NamespacePolicies {
  let p = s.namespaces.get(ns);
  if (!p) s.namespaces.set(ns, (p = { blocking: [], rejectedBlocking: [], allowing: [], openAllPods: [] }));
  return p;
}

/** Every namespace with workloads needs an all-pods egress policy that keeps them off 169.254.169.254. */
export const rule: CrossFileRule<State> = {
  meta: {
    id: 'imds-egress-not-blocked',
    title: 'Instance metadata endpoint reachable from pods',
    level: 'warning',
    securitySeverity: 6.5,
    precision: 'medium',
    description:
      'A namespace with workloads has no NetworkPolicy that selects all pods and blocks egress to the instance metadata endpoint 169.254.169.254; hostNetwork pods bypass NetworkPolicies.',
    why: "Every AKS node answers on 169.254.169.254 (the Azure Instance Metadata Service) with details of the node and, when the node pool has a managed identity, with access tokens for it. A compromised pod that reaches it can act as the node's identity in Azure. Microsoft's [Best practices for cluster security and upgrades in Azure Kubernetes Service (AKS)](https://learn.microsoft.com/azure/aks/operator-best-practices-cluster-security) (section \"Restrict access to Instance Metadata API\") asks for a NetworkPolicy that selects all pods (`podSelector` `matchLabels: {}`), has policy type `Egress` and excludes `169.254.169.254/32`. The check is cross-file: the policy may sit anywhere in the scan, but it only counts for its own namespace (objects without `metadata.namespace` count as `default`; `kubectl -n` and kustomize `namespace:` overrides are not seen). A policy the API server rejects (see `networkpolicy-invalid`, for example the article's own `cidr: 10.10.0.0/0#example`) does not count. Pods with `hostNetwork: true` use the node's network stack, so no NetworkPolicy applies to them. Silence the rule (`rules: {imds-egress-not-blocked: off}`) for clusters that block IMDS elsewhere, e.g. an Azure Firewall or a Cilium/Calico cluster-wide policy, or list namespaces under `ignoreNamespaces`.",
    fix: 'Add one policy per namespace (NetworkPolicies add up: no other egress policy in the namespace may allow 169.254.169.254):\n\n```yaml\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: block-instance-metadata\n  namespace: my-app          # one per namespace\nspec:\n  podSelector: {}\n  policyTypes:\n    - Egress\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/0\n            except:\n              - 169.254.169.254/32\n        - ipBlock:\n            cidr: "::/0"      # dual-stack clusters\n        - namespaceSelector: {}   # pods in the cluster (Cilium does not match pod IPs by ipBlock)\n```',
    tags: ['security', 'kubernetes', 'network-policy', 'aks'],
    kinds: ['kubernetes'],
    defaultOptions: { ignoreNamespaces: [] },
    optionsSchema: {
      type: 'object',
      properties: {
        ignoreNamespaces: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          description: 'Namespaces whose workloads may reach IMDS (e.g. kube-system add-ons that need the node identity).',
        },
      },
      additionalProperties: false,
    },
    silentUnless: 'the scan holds workloads; in a changed-files scan it judges only namespaces whose Namespace object changed',
    messages: {
      missing:
        'Namespace "{namespace}" has no NetworkPolicy that blocks egress to the metadata endpoint 169.254.169.254 for all pods: {workload} and every other pod there can fetch node identity tokens.',
      rejected:
        'Namespace "{namespace}": {policy} would block the metadata endpoint 169.254.169.254, but the API server rejects it (see networkpolicy-invalid), so {workload} can reach it.',
      notBlocking:
        'Namespace "{namespace}": {policy} selects all pods for egress but still lets them reach the metadata endpoint 169.254.169.254 ({file}:{line}), so {workload} can fetch node identity tokens.',
      hostNetwork:
        '{workload} uses hostNetwork: true, so no NetworkPolicy applies to it and it can reach the metadata endpoint 169.254.169.254.',
      allows:
        "{policy} allows egress to 169.254.169.254 for the pods it selects, which undoes the namespace's metadata block (NetworkPolicies add up).",
    },
  },
  initialState: () => ({ firstWorkload: new Map(), namespaces: new Map(), declared: new Set() }),
  check(file, ctx) {
    if (file.kind !== 'kubernetes') return;
    const ignored = new Set((ctx.options.ignoreNamespaces as string[] | undefined) ?? []);
    const s = ctx.crossFile;
    for (const obj of file.objects) {
      if (obj.kind === 'Namespace' && obj.apiVersion === 'v1' && obj.name) s.declared.add(obj.name);
      if (!isNetworkPolicy(obj)) continue;
      const ns = namespaceOf(obj);
      const a = analyzePolicy(obj);
      const p = policiesOf(s, ns);
      if (a.selectsAll && a.egress && !a.allowsImdsAt) (rejected(a) ? p.rejectedBlocking : p.blocking).push(obj.label);
      else if (a.egress && a.allowsImdsAt && !rejected(a)) {
        const seen = { label: obj.label, ...spot(file.source, a.allowsImdsAt) };
        p.allowing.push(seen);
        if (a.selectsAll) p.openAllPods.push(seen);
      }
    }
    for (const w of file.workloads) {
      const ns = namespaceOf(w.object);
      if (ignored.has(ns)) continue;
      const hostNet = getPair(w.podSpec, 'hostNetwork');
      if (hostNet && asBool(hostNet.value) === true) {
        ctx.report({ messageId: 'hostNetwork', data: { workload: w.label }, at: hostNet, identity: `${ns}/${w.label}` });
        continue;
      }
      if (s.firstWorkload.has(ns)) continue;
      const meta = asMap(get(w.object.node, 'metadata'));
      const at = getPair(meta, 'name') ?? getPair(w.object.node, 'kind') ?? w.object.node;
      s.firstWorkload.set(ns, [{ namespace: ns, label: w.label, ...spot(file.source, at) }]);
    }
  },
  finish(ctx) {
    const s = ctx.crossFile;
    for (const [, [w]] of s.firstWorkload) {
      if (!w) continue;
      // A pull-request scan sees only changed files: the namespace's policy may sit in an unchanged
      // one. Judge only namespaces the change itself declares (silence over a guess).
      if (ctx.partial && !s.declared.has(w.namespace)) continue;
      const p = s.namespaces.get(w.namespace);
      if (p && p.blocking.length > 0) continue;
      const identity = `namespace/${w.namespace}`;
      if (p && p.rejectedBlocking.length > 0) {
        ctx.report({
          messageId: 'rejected',
          data: { namespace: w.namespace, policy: p.rejectedBlocking[0]!, workload: w.label },
          ...place(w),
          identity,
        });
      } else if (p && p.openAllPods.length > 0) {
        const open = p.openAllPods[0]!;
        ctx.report({
          messageId: 'notBlocking',
          data: { namespace: w.namespace, policy: open.label, file: open.path, line: open.line, workload: w.label },
          ...place(w),
          identity,
        });
      } else {
        ctx.report({ messageId: 'missing', data: { namespace: w.namespace, workload: w.label }, ...place(w), identity });
      }
    }
    const ignored = new Set((ctx.options.ignoreNamespaces as string[] | undefined) ?? []);
    for (const [ns, p] of s.namespaces) {
      if (p.blocking.length === 0 || ignored.has(ns)) continue;
      for (const a of p.allowing) ctx.report({ messageId: 'allows', data: { policy: a.label }, ...place(a), identity: `${ns}/${a.label}` });
    }
  },
};
