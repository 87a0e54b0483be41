import type { Rule } from '../rule.js';
import { asBool, get, getPair } from '../parse/yaml.js';
import type { YPair } from '../parse/yaml.js';
import { effective } from '../parse/workloads.js';
import type { Container, Workload } from '../parse/workloads.js';
import { forEachWorkload } from './util.js';

/**
 * The effective `windowsOptions.hostProcess` of a container. Kubernetes merges windowsOptions
 * field by field, so a container's windowsOptions without hostProcess still inherits the pod's.
 */
function hostProcessOf(c: Container): YPair | undefined {
  const eff = effective(c, 'windowsOptions');
  const own = eff?.source === 'container' ? getPair(eff.node, 'hostProcess') : undefined;
  return own ?? podHostProcess(c.workload);
}

function podHostProcess(w: Workload): YPair | undefined {
  return getPair(get(w.podSecurityContext, 'windowsOptions'), 'hostProcess');
}

/** Windows HostProcess containers run directly on the node: forbidden by PSS baseline. */
export const rule: Rule = {
  meta: {
    id: 'windows-host-process',
    title: 'Windows HostProcess container',
    level: 'error',
    securitySeverity: 9.0,
    precision: 'very-high',
    description: 'A pod or container sets securityContext.windowsOptions.hostProcess: true.',
    why: "A Windows HostProcess container runs as a process on the Windows node, outside any container isolation, with access to the host's file system, network and (as SYSTEM or another host account) its privileges: the Windows counterpart of a privileged container. The Pod Security Standards baseline forbids it (\"HostProcess\": `spec.securityContext.windowsOptions.hostProcess` and every container's must be unset or false), and Microsoft's [Best practices for pod security in AKS](https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security) asks for the least privilege a container needs. Kubernetes also requires `hostNetwork: true` for HostProcess pods, which the baseline forbids too.",
    fix: 'Run the workload as a normal Windows container; if it really must manage the node, run it from a node-management pipeline instead of a pod:\n\n```yaml\nspec:\n  securityContext:\n    windowsOptions:\n      hostProcess: false          # or remove the field\n      runAsUserName: ContainerUser\n  hostNetwork: false\n```',
    tags: ['security', 'kubernetes', 'pod-security', 'windows'],
    kinds: ['kubernetes'],
    profile: 'baseline',
    messages: {
      hostProcess: '{target} runs as a Windows HostProcess container ({source} level): it has full access to the node.',
      needsHostNetwork:
        '{workload} sets hostProcess: true without hostNetwork: true; the API server rejects HostProcess pods that do not use the host network.',
    },
  },
  check(file, ctx) {
    forEachWorkload(file, (w) => {
      const podPair = podHostProcess(w);
      const seen = new Set<YPair>();
      // A pod-level hostProcess applies even when no container inherits it (none listed).
      const pairs = [...(podPair ? [{ pair: podPair, c: undefined }] : []), ...w.containers.map((c) => ({ pair: hostProcessOf(c), c }))];
      let any = false;
      for (const { pair, c } of pairs) {
        if (!pair || asBool(pair.value) !== true) continue;
        any = true;
        if (seen.has(pair)) continue;
        seen.add(pair);
        const podLevel = pair === podPair;
        const target = podLevel || !c ? w.label : c.label;
        ctx.report({ messageId: 'hostProcess', data: { target, source: podLevel ? 'pod' : 'container' }, at: pair, identity: target });
      }
      const hostNet = getPair(w.podSpec, 'hostNetwork');
      if (any && !(hostNet && asBool(hostNet.value) === true)) {
        ctx.report({
          messageId: 'needsHostNetwork',
          data: { workload: w.label },
          at: hostNet ?? getPair(w.podSpec, 'containers') ?? w.podSpec,
          identity: w.label,
          level: 'note',
        });
      }
    });
  },
};
