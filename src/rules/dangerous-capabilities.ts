import type { Rule } from '../rule.js';
import { capabilityItems, forEachContainer, firstTime, forEachModelContainer } from './util.js';

/** The capabilities the Pod Security Standards baseline allows a container to add. */
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** Containers must not add capabilities beyond the Pod Security Standards baseline set. */
export const rule: Rule = {
  meta: {
    id: 'dangerous-capabilities',
    title: 'Dangerous capability added',
    level: 'error',
    securitySeverity: 8.0,
    precision: 'very-high',
    description:
      'A container adds a Linux capability outside the Pod Security Standards baseline set (NET_ADMIN, SYS_ADMIN, SYS_TIME, ALL...): Kubernetes and ACI capabilities.add, compose cap_add.',
    why: "Linux capabilities split root's power into pieces; some pieces are most of it. `SYS_ADMIN` is close to full root, `NET_ADMIN` lets a container rewrite the node's network (and sniff or redirect traffic when combined with host networking), `SYS_TIME` changes the clock of the whole node, `SYS_PTRACE` reads other processes' memory, and `ALL` is every capability at once. Microsoft's \"Best practices for pod security in AKS\" asks to assign the least privileges needed; the Pod Security Standards *baseline* profile allows adding only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT.",
    fix: 'Drop everything and add back only what the process really needs (usually nothing; `NET_BIND_SERVICE` to bind a port below 1024):\n\n```yaml\nsecurityContext:\n  capabilities:\n    drop: ["ALL"]\n    add: ["NET_BIND_SERVICE"]\n```\n\nIf the workload needs to change the node (a CNI plugin, a time daemon), run it as a reviewed system component and suppress the finding with a justification.',
    tags: ['security', 'kubernetes', 'pod-security'],
    fixByFormat: {
      compose:
        'Remove the capability from `cap_add` (an error for compose too: `SYS_ADMIN` or `NET_ADMIN` on a Docker host reach the host as they reach a node):\n\n```yaml\nservices:\n  web:\n    cap_drop: ["ALL"]\n    cap_add: ["NET_BIND_SERVICE"]\n```',
      aci: 'Remove the capability from the container\'s `securityContext.capabilities.add`:\n\n```yaml\nsecurityContext:\n  capabilities:\n    drop: ["ALL"]\n    add: ["NET_BIND_SERVICE"]\n```',
    },
    kinds: ['kubernetes', 'compose', 'aci'],
    profile: 'baseline',
    messages: {
      added: '{container} adds the capability {capability}, which is outside the Pod Security Standards baseline set.',
      all: "{container} adds ALL capabilities: it holds most of root's power on the node.",
      spelling:
        '{container} adds "{value}": Pod Security admission compares capability names exactly and rejects this spelling; write {capability}.',
    },
  },
  check(file, ctx) {
    forEachContainer(file, (c) => {
      for (const item of capabilityItems(c, 'add')) {
        if (BASELINE_CAPABILITIES.has(item.name)) {
          // Pod Security admission compares the names exactly: `chown` or `CAP_CHOWN` is rejected.
          const text = item.node.kind === 'scalar' ? item.node.text : item.name;
          if (text !== item.name) {
            ctx.report({
              messageId: 'spelling',
              data: { container: c.label, value: text, capability: item.name },
              at: item.node,
              identity: c.label,
              value: text,
            });
          }
          continue;
        }
        const messageId = item.name === 'ALL' ? 'all' : 'added';
        ctx.report({ messageId, data: { container: c.label, capability: item.name }, at: item.node, identity: c.label, value: item.name });
      }
    });
    const once = firstTime();
    forEachModelContainer(file, (c) => {
      for (const item of c.capAdd) {
        if (BASELINE_CAPABILITIES.has(item.name) || !once(item.node)) continue;
        const messageId = item.name === 'ALL' ? 'all' : 'added';
        ctx.report({ messageId, data: { container: c.label, capability: item.name }, at: item.node, identity: c.label, value: item.name });
      }
    });
  },
};
