import type { Rule } from '../rule.js';
import { asBool, getPair } from '../parse/yaml.js';
import { firstTime, forEachModelContainer, forEachWorkload } from './util.js';
import type { HostNamespace } from '../parse/containers.js';

/** The compose key that shares each namespace. */
const COMPOSE_KEY: Record<HostNamespace, string> = { network: 'network_mode', pid: 'pid', ipc: 'ipc', user: 'userns_mode', uts: 'uts' };

const NAMESPACES = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

const NS_NAME: Record<HostNamespace, string> = { network: 'network', pid: 'PID', ipc: 'IPC', user: 'user', uts: 'UTS' };

const WHAT: Record<HostNamespace, string> = {
  network: 'interfaces and local services',
  pid: 'processes',
  ipc: 'shared memory',
  user: 'users (the container root is the host root)',
  uts: 'host name',
};

/** Pods must not share the node's network, process or IPC namespace. */
export const rule: Rule = {
  meta: {
    id: 'host-namespaces',
    title: 'Host namespace shared',
    level: 'error',
    securitySeverity: 8.0,
    precision: 'very-high',
    description:
      'A pod sets hostNetwork, hostPID or hostIPC to true; a compose service sets network_mode, pid, ipc, userns_mode or uts to host.',
    why: "Namespaces are what keeps a container's view of the node small. With `hostNetwork` the pod sees every interface of the node, can reach services bound to localhost (the kubelet, cloud metadata proxies) and sniff traffic; with `hostPID` it sees and can signal (or, with ptrace, read) every process on the node, including other pods' secrets in their environment; with `hostIPC` it shares the node's shared memory. Microsoft's \"Best practices for pod security in AKS\" asks to limit access to the underlying node's processes and services; the Pod Security Standards *baseline* profile forbids all three.",
    fix: "Remove the field (the default is false) and expose the pod through a Service instead of the node's network:\n\n```yaml\nspec:\n  hostNetwork: false\n  hostPID: false\n  hostIPC: false\n```",
    tags: ['security', 'kubernetes', 'pod-security'],
    fixByFormat: {
      compose:
        'Remove the `host` modes and publish ports instead (an error for compose too: a service in the host\'s namespaces sees the Docker host\'s network, processes or users):\n\n```yaml\nservices:\n  web:\n    ports:\n      - "8080:8080"\n    # no network_mode: host, pid: host, ipc: host, userns_mode: host, uts: host\n```',
    },
    kinds: ['kubernetes', 'compose'],
    profile: 'baseline',
    messages: {
      hostNetwork:
        "{workload} uses the node's network namespace (hostNetwork: true): it sees all of the node's traffic and local services.",
      hostPID: "{workload} uses the node's process namespace (hostPID: true): it sees every process on the node.",
      hostIPC: "{workload} uses the node's IPC namespace (hostIPC: true): it shares memory with the node's processes.",
      composeHost: "{workload} shares the Docker host's {namespace} namespace ({key}: host): it reaches the host's {what}.",
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
    const once = firstTime();
    forEachModelContainer(file, (c) => {
      for (const ns of c.hostNamespaces) {
        if (!once(ns.at)) continue;
        ctx.report({
          messageId: 'composeHost',
          data: { workload: c.label, namespace: NS_NAME[ns.value], key: COMPOSE_KEY[ns.value], what: WHAT[ns.value] },
          at: ns.at,
          identity: c.label,
          value: ns.value,
        });
      }
    });
  },
};
