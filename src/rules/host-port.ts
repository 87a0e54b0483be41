import type { Rule } from '../rule.js';
import { asInt, asItems, get, getPair } from '../parse/yaml.js';
import { forEachContainer } from './util.js';

/** Containers should not bind ports on the node. */
export const rule: Rule = {
  meta: {
    id: 'host-port',
    title: 'Host port bound',
    level: 'warning',
    securitySeverity: 5.0,
    precision: 'very-high',
    description: 'A container port sets a non-zero hostPort.',
    why: 'A `hostPort` opens the port on the node\'s own address, bypassing the Services and NetworkPolicies that normally front a pod, and it ties the pod to nodes where that port is free (two replicas cannot share a node). Microsoft\'s "Best practices for pod security in AKS" recommends Kubernetes Services to expose applications; the Pod Security Standards *baseline* profile disallows host ports.',
    fix: 'Remove `hostPort` and expose the container port through a Service:\n\n```yaml\nports:\n  - containerPort: 8080\n---\napiVersion: v1\nkind: Service\nspec:\n  ports:\n    - port: 80\n      targetPort: 8080\n```',
    tags: ['security', 'kubernetes', 'pod-security'],
    kinds: ['kubernetes'],
    profile: 'baseline',
    messages: {
      hostPort: '{container} binds port {port} on the node (hostPort), outside any Service or NetworkPolicy.',
    },
  },
  check(file, ctx) {
    forEachContainer(file, (c) => {
      for (const port of asItems(get(c.node, 'ports'))) {
        const pair = getPair(port, 'hostPort');
        if (!pair) continue;
        const value = asInt(pair.value);
        if (value === 0 || value === undefined) continue;
        ctx.report({ messageId: 'hostPort', data: { container: c.label, port: value }, at: pair, identity: c.label, value: String(value) });
      }
    });
  },
};
