import type { Rule } from './api.js';
import { asBool, get, getPair } from '../parse/yaml.js';
import { containerField } from '../parse/workloads.js';
import { forEachContainer } from './util.js';

/** Containers must not run in privileged mode. */
export const rule: Rule = {
  meta: {
    id: 'privileged-container',
    title: 'Privileged container',
    level: 'error',
    securitySeverity: 9.0,
    precision: 'very-high',
    description: 'A container sets securityContext.privileged: true (or, on Windows, windowsOptions.hostProcess: true).',
    why: 'A privileged container gets every capability and all host devices: it is root on the node, and one compromised pod becomes a compromised cluster node. The AKS pod security practice asks for the least privilege a container needs and no escalation (Microsoft, "Best practices for pod security in AKS"); the Pod Security Standards baseline forbids privileged pods.',
    fix: 'Remove `privileged: true` (or set it to false) and grant only the single capability the workload needs:\n\n```yaml\nsecurityContext:\n  privileged: false\n  allowPrivilegeEscalation: false\n  capabilities:\n    drop: ["ALL"]\n    add: ["NET_BIND_SERVICE"]   # only if really needed\n```',
    tags: ['security', 'kubernetes', 'pod-security'],
    kinds: ['kubernetes'],
    profile: 'baseline',
    messages: {
      privileged: '{container} runs privileged: it has full access to the host.',
      hostProcess: '{container} is a Windows HostProcess container: it runs directly on the node with full access to it.',
    },
  },
  check(file, ctx) {
    forEachContainer(file, (c) => {
      const pair = containerField(c, 'privileged');
      if (pair && asBool(pair.value) === true) {
        ctx.report({ messageId: 'privileged', data: { container: c.label }, at: pair, identity: c.label });
      }
      // HostProcess is Windows' privileged mode; windowsOptions merges field by field, container first.
      const hostProcess =
        getPair(get(c.securityContext, 'windowsOptions'), 'hostProcess') ??
        getPair(get(c.workload.podSecurityContext, 'windowsOptions'), 'hostProcess');
      if (hostProcess && asBool(hostProcess.value) === true) {
        ctx.report({ messageId: 'hostProcess', data: { container: c.label }, at: hostProcess, identity: c.label });
      }
    });
  },
};
