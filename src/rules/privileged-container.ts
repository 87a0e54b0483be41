import type { Rule } from '../rule.js';
import { asBool } from '../parse/yaml.js';
import { containerField } from '../parse/workloads.js';
import { forEachContainer, firstTime, forEachModelContainer } from './util.js';

/** Containers must not run in privileged mode. */
export const rule: Rule = {
  meta: {
    id: 'privileged-container',
    title: 'Privileged container',
    level: 'error',
    securitySeverity: 9.0,
    precision: 'very-high',
    description: 'A container sets securityContext.privileged: true (Kubernetes, ACI) or privileged: true (compose).',
    why: 'A privileged container gets every capability and all host devices: it is root on the node, and one compromised pod becomes a compromised cluster node. The AKS pod security practice asks for the least privilege a container needs and no escalation (Microsoft, "Best practices for pod security in AKS"); the Pod Security Standards baseline forbids privileged pods.',
    fix: 'Remove `privileged: true` (or set it to false) and grant only the single capability the workload needs:\n\n```yaml\nsecurityContext:\n  privileged: false\n  allowPrivilegeEscalation: false\n  capabilities:\n    drop: ["ALL"]\n    add: ["NET_BIND_SERVICE"]   # only if really needed\n```',
    tags: ['security', 'kubernetes', 'pod-security'],
    fixByFormat: {
      compose:
        'Remove `privileged: true` and add only the capability the service needs:\n\n```yaml\nservices:\n  web:\n    privileged: false\n    cap_drop: ["ALL"]\n    cap_add: ["NET_BIND_SERVICE"]   # only if really needed\n```\n\nA privileged compose service is root on the Docker host, on a laptop as on a server: this stays an error for compose.',
      aci: "Remove `privileged: true` from the container's securityContext:\n\n```yaml\nproperties:\n  containers:\n    - name: web\n      properties:\n        securityContext:\n          privileged: false\n          allowPrivilegeEscalation: false\n```",
    },
    kinds: ['kubernetes', 'compose', 'aci'],
    profile: 'baseline',
    messages: {
      privileged: '{container} runs privileged: it has full access to the host.',
    },
  },
  check(file, ctx) {
    forEachContainer(file, (c) => {
      const pair = containerField(c, 'privileged');
      if (pair && asBool(pair.value) === true) {
        ctx.report({ messageId: 'privileged', data: { container: c.label }, at: pair, identity: c.label });
      }
      // HostProcess (Windows' privileged mode) is windows-host-process's finding: one root cause, one finding.
    });
    const once = firstTime();
    forEachModelContainer(file, (c) => {
      if (c.privileged?.value === true && once(c.privileged.at))
        ctx.report({ messageId: 'privileged', data: { container: c.label }, at: c.privileged.at, identity: c.label });
    });
  },
};
