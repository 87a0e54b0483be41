import type { Rule } from './api.js';
import { asBool, getPair } from '../parse/yaml.js';
import { forEachWorkload } from './util.js';

const NAMESPACES = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

/** Pods must not share the node's network, process or IPC namespace. */
export const rule: Rule = {
  meta: {
    id: 'host-namespaces',
    title: 'Host namespace shared',
    level: 'error',
    securitySeverity: 8.0,
    precision: 'very-high',
    description: 'A pod sets hostNetwork, hostPID or hostIPC to true.',
    why: "Namespaces are what keeps a container's view of the node small. With `hostNetwork` the pod sees every interface of the node, can reach services bound to localhost (the kubelet, cloud metadata proxies) and sniff traffic; with `hostPID` it sees and can signal (or, with ptrace, read) every process on the node, including other pods' secrets in their environment; with `hostIPC` it shares the node's shared memory. Microsoft's \"Best practices for pod security in AKS\" asks to limit access to the underlying node's processes and services; the Pod Security Standards *baseline* profile forbids all three.",
    fix: "Remove the field (the default is false) and expose the pod through a Service instead of the node's network:\n\n```yaml\nspec:\n  hostNetwork: false\n  hostPID: false\n  hostIPC: false\n```",
    tags: ['security', 'kubernetes', 'pod-security'],
    kinds: ['kubernetes'],
    profile: 'baseline',
    messages: {
      hostNetwork:
        "{workload} uses the node's network namespace (hostNetwork: true): it sees all of the node's traffic and local services.",
      hostPID: "{workload} uses the node's process namespace (hostPID: true): it sees every process on the node.",
      hostIPC: "{workload} uses the node's IPC namespace (hostIPC: true): it shares memory with the node's processes.",
    },
  },
  check(file, ctx) {
    forEachWorkload(file, (w) => {
      for (const field of NAMESPACES) {
        const pair = getPair(w.podSpec, field);
        if (pair && asBool(pair.value) === true) {
          ctx.report({ messageId: field, data: { workload: w.label }, at: pair, identity: w.label });
        }
      }
    });
  },
};
