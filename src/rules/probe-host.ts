import type { Rule } from '../rule.js';
import { asText, get, getPair } from '../parse/yaml.js';
import type { YNode } from '../parse/yaml.js';
import { forEachContainer, kubernetesMinor } from './util.js';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HOOKS = ['postStart', 'preStop'] as const;
const HANDLERS = ['httpGet', 'tcpSocket'] as const;

/** Probes and lifecycle hooks must not aim the kubelet at another host (Pod Security baseline from 1.34). */
export const rule: Rule = {
  meta: {
    id: 'probe-host',
    title: 'Probe or lifecycle hook aimed at another host',
    level: 'warning',
    securitySeverity: 5.0,
    precision: 'very-high',
    description:
      'A probe (liveness, readiness, startup) or lifecycle hook (postStart, preStop) sets httpGet.host or tcpSocket.host (from kubernetesVersion 1.34, as Pod Security admission checks).',
    why: "The kubelet runs probes and HTTP lifecycle hooks from the node, with the node's network access. A `host` field lets a pod make the kubelet connect to any address it names: other nodes, the cloud metadata endpoint, services that trust the node network. Since Kubernetes 1.34 the Pod Security Standards *baseline* profile forbids a non-empty `host` on probes and lifecycle hooks (check `hostProbesAndHostLifecycle`). Microsoft's \"Best practices for pod security in AKS\" asks to limit access to the node's processes and services.",
    fix: "Remove `host`: the probe then targets the pod's own IP.\n\n```yaml\nlivenessProbe:\n  httpGet:\n    path: /healthz\n    port: 8080\n```",
    tags: ['security', 'kubernetes', 'pod-security'],
    kinds: ['kubernetes'],
    profile: 'baseline',
    silentUnless: 'Silent when kubernetesVersion is below 1.34, where Pod Security admission does not check it.',
    messages: {
      host: '{container} sets {field}.host in its {where}: the kubelet connects from the node to the address it names.',
    },
  },
  check(file, ctx) {
    if (kubernetesMinor(ctx.settings) < 34) return;
    forEachContainer(file, (c) => {
      const places: [string, YNode | undefined][] = [
        ...PROBES.map((p): [string, YNode | undefined] => [p, get(c.node, p)]),
        ...HOOKS.map((h): [string, YNode | undefined] => [`lifecycle ${h} hook`, get(get(c.node, 'lifecycle'), h)]),
      ];
      for (const [where, node] of places) {
        for (const field of HANDLERS) {
          const pair = getPair(get(node, field), 'host');
          if (!pair || (asText(pair.value) ?? '') === '') continue;
          ctx.report({
            messageId: 'host',
            data: { container: c.label, field, where },
            at: pair,
            identity: c.label,
            value: `${where} ${field}`,
          });
        }
      }
    });
  },
};
