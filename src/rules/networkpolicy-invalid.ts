import type { Rule } from '../rule.js';
import { analyzePolicy, isNetworkPolicy } from '../parse/netpol.js';

/** NetworkPolicies the API server rejects, or that select nothing. */
export const rule: Rule = {
  meta: {
    id: 'networkpolicy-invalid',
    title: 'Invalid NetworkPolicy',
    level: 'error',
    securitySeverity: 7.0,
    precision: 'very-high',
    description:
      'A NetworkPolicy has an invalid ipBlock CIDR, an except outside its cidr, a malformed or contradictory label selector, an invalid port, or an unknown policy type.',
    why: 'A NetworkPolicy the API server rejects protects nothing, and the pipeline that applies it often fails late or, worse, the team believes the namespace is isolated. Microsoft\'s [Best practices for cluster security and upgrades in Azure Kubernetes Service (AKS)](https://learn.microsoft.com/azure/aks/operator-best-practices-cluster-security) (section "Restrict access to Instance Metadata API") prints an example whose `cidr: 10.10.0.0/0#example` is not a CIDR at all: copied as is, it is rejected. Kubernetes requires each `except` to be a strict subset of its `cidr` in the same IP family, selectors with valid label keys and string values, and `In`/`NotIn` with values. A selector that can never match (a label that must both exist and not exist, disjoint `In` lists) is accepted but silently applies to no pod. CIDRs written with host bits set (`10.10.0.0/0`) are accepted but mean the whole network (`0.0.0.0/0`), rarely what was meant.',
    fix: 'Write real CIDRs, keep `except` inside `cidr`, and put labels under `matchLabels`:\n\n```yaml\nspec:\n  podSelector:\n    matchLabels:\n      app: web          # not podSelector: {app: web}\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/0\n            except:\n              - 169.254.169.254/32\n```',
    tags: ['security', 'kubernetes', 'network-policy', 'aks'],
    kinds: ['kubernetes'],
    messages: {
      cidrInvalid: '{policy}: ipBlock CIDR "{cidr}" {reason}; the API server rejects the policy.',
      cidrMissing: '{policy}: an ipBlock needs a cidr; the API server rejects the policy.',
      cidrHostBits: '{policy}: CIDR "{cidr}" has host bits set, so it means {canonical}; write the network you intend.',
      exceptOutside: '{policy}: except "{except}" {reason}; the API server rejects the policy.',
      selectorMalformed: '{policy}: {where} {reason}; the API server rejects the policy.',
      selectorUnknownField:
        '{policy}: {where} has field "{field}": labels belong under matchLabels. Strict validation rejects it; without validation the field is dropped and the selector matches every pod.',
      selectsNothing: '{policy}: {where} can never match a pod ({reason}).',
      policyType: '{policy}: policyTypes entry "{type}" is not Ingress or Egress; the API server rejects the policy.',
      ipBlockCombined:
        '{policy}: a peer combines ipBlock with a pod or namespace selector; write them as separate peers (the API server rejects this).',
      portInvalid: '{policy}: {reason}; the API server rejects the policy.',
      noSpec: '{policy} has no spec: it restricts nothing.',
    },
  },
  check(file, ctx) {
    if (file.kind !== 'kubernetes') return;
    for (const obj of file.objects) {
      if (!isNetworkPolicy(obj)) continue;
      for (const p of analyzePolicy(obj).problems) {
        ctx.report({
          messageId: p.messageId,
          data: { policy: obj.label, ...p.data },
          at: p.at,
          identity: `${obj.namespace ?? 'default'}/${obj.label}`,
          value: Object.values(p.data).join(' '),
          ...(p.warning ? { level: 'warning' as const } : {}),
        });
      }
    }
  },
};
