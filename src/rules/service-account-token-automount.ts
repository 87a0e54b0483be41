import type { CrossFileRule } from '../rule.js';
import { asBool, asItems, asText, get, getPair } from '../parse/yaml.js';
import { forEachWorkload, place, spot } from './util.js';
import type { Spot } from './util.js';

/** A pod that leaves the decision to its ServiceAccount, waiting for the end of the scan. */
interface Pending extends Spot {
  workload: string;
  namespace: string | undefined;
  serviceAccount: string;
}

/** What the rule keeps across files: pending pods, and ServiceAccounts that opt out of automounting. */
interface State {
  pending: Pending[];
  optedOut: Set<string>;
  /** Every ServiceAccount in the scanned files (namespace/name), whatever it says. */
  declared: Set<string>;
  /** ServiceAccounts a RoleBinding or ClusterRoleBinding grants rights (namespace/name; '' when unknown). */
  bound: Set<string>;
  /** Names of bound ServiceAccounts, for pods whose namespace the manifest leaves open. */
  boundNames: Set<string>;
}

const saKey = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;

/** Pods should not get a Kubernetes API token unless they need one. */
export const rule: CrossFileRule<State> = {
  meta: {
    id: 'service-account-token-automount',
    title: 'Service account token automounted',
    level: 'note',
    securitySeverity: 3.0,
    precision: 'medium',
    description:
      'A pod spec does not set automountServiceAccountToken: false (and its ServiceAccount, if scanned, does not either). Pods that say `automountServiceAccountToken: true`, or whose ServiceAccount an RBAC RoleBinding or ClusterRoleBinding in the scan grants rights, use the API on purpose and are not reported.',
    why: "By default Kubernetes mounts a token for the pod's ServiceAccount into every container. Most applications never call the Kubernetes API, but anyone who compromises the container can use that token with whatever RBAC rights the account has, or later gains. Microsoft asks to limit credential exposure and to give pods only the access they need ([Best practices for pod security in Azure Kubernetes Service (AKS)](https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security)). A pod that asks for the token explicitly, or whose ServiceAccount is given RBAC rights, is a controller or operator that needs it.",
    fix: 'Turn the token off for pods that do not talk to the Kubernetes API (on the pod, or on its ServiceAccount):\n\n```yaml\nspec:\n  automountServiceAccountToken: false\n```',
    tags: ['security', 'kubernetes', 'credentials'],
    kinds: ['kubernetes'],
    silentUnless:
      'A ServiceAccount with automountServiceAccountToken: false in the scanned files (same namespace and name) satisfies the rule for the pods that use it, and so does an explicit automountServiceAccountToken: true on the pod or a RoleBinding/ClusterRoleBinding naming its ServiceAccount; in a changed-files scan, pods of a named ServiceAccount are judged only when that ServiceAccount is among the changed files',
    messages: {
      missing:
        '{workload} gets a service account token mounted ({serviceAccount}): set automountServiceAccountToken: false if it does not call the Kubernetes API.',
    },
  },
  initialState: () => ({ pending: [], optedOut: new Set(), declared: new Set(), bound: new Set(), boundNames: new Set() }),
  check(file, ctx) {
    if (file.kind !== 'kubernetes') return;
    const state = ctx.crossFile;
    for (const obj of file.objects) {
      if (obj.kind !== 'ServiceAccount' || !obj.name) continue;
      state.declared.add(saKey(obj.namespace, obj.name));
      if (asBool(get(obj.node, 'automountServiceAccountToken')) === false) state.optedOut.add(saKey(obj.namespace, obj.name));
    }
    for (const obj of file.objects) {
      if ((obj.kind !== 'RoleBinding' && obj.kind !== 'ClusterRoleBinding') || !obj.apiVersion.startsWith('rbac.authorization.k8s.io/'))
        continue;
      for (const subject of asItems(get(obj.node, 'subjects'))) {
        const name = asText(get(subject, 'name'));
        if (asText(get(subject, 'kind')) !== 'ServiceAccount' || !name) continue;
        // A RoleBinding's ServiceAccount subject without a namespace is in the binding's namespace.
        const namespace = asText(get(subject, 'namespace')) ?? (obj.kind === 'RoleBinding' ? obj.namespace : undefined);
        state.bound.add(saKey(namespace, name));
        state.boundNames.add(name);
      }
    }
    forEachWorkload(file, (w) => {
      const pair = getPair(w.podSpec, 'automountServiceAccountToken');
      const value = asBool(pair?.value);
      // false: done; true: the pod asks for the token on purpose (a controller or operator).
      if (value === false || (pair && value === true)) return;
      const serviceAccount = asText(get(w.podSpec, 'serviceAccountName')) ?? asText(get(w.podSpec, 'serviceAccount')) ?? 'default';
      state.pending.push({
        ...spot(file.source, getPair(w.podSpec, 'containers') ?? w.podSpec),
        workload: w.label,
        namespace: w.object.namespace,
        serviceAccount,
      });
    });
  },
  finish(ctx) {
    const state = ctx.crossFile;
    for (const p of state.pending) {
      const sa = saKey(p.namespace, p.serviceAccount);
      if (state.optedOut.has(sa)) continue;
      // RBAC rights for the account mean the pod calls the API: it needs the token.
      if (state.bound.has(sa) || state.bound.has(saKey(undefined, p.serviceAccount))) continue;
      if (p.namespace === undefined && state.boundNames.has(p.serviceAccount)) continue;
      // A pull-request scan sees only changed files: a named ServiceAccount that opts out may sit
      // in an unchanged one. Judge those pods only when the change holds their ServiceAccount.
      if (ctx.partial && p.serviceAccount !== 'default' && !state.declared.has(sa)) continue;
      ctx.report({
        messageId: 'missing',
        data: { workload: p.workload, serviceAccount: `ServiceAccount "${p.serviceAccount}"` },
        ...place(p),
        identity: p.workload,
      });
    }
  },
};
