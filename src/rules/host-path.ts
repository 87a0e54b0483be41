import type { Rule } from '../rule.js';
import { hostMounts } from './host-paths.js';

/** Runtime sockets and sensitive node paths mounted into a container. */
export const rule: Rule = {
  meta: {
    id: 'host-path',
    title: 'Host path mounted',
    level: 'error',
    securitySeverity: 8.5,
    precision: 'high',
    description:
      'A pod, PersistentVolume or compose service mounts a container runtime socket or a sensitive node path (/, /etc and its credentials, /proc, /sys, /dev, /var/run, /var/lib/kubelet, /lib/modules, /var/log, kubeconfigs...). Other host paths are host-path-other.',
    why: "A `hostPath` volume gives the pod a piece of the node's file system. The container runtime socket (`docker.sock`, `containerd.sock`, `crio.sock`) lets the pod start a privileged container on the node: a full node takeover. `/etc`, `/root`, `/var/lib/kubelet` hold the node's and other pods' credentials; `/proc`, `/sys` and `/dev` reach the kernel and devices; a parent such as `/var` or `/` exposes all of them. Microsoft's \"Best practices for pod security in AKS\" asks to limit access to the underlying node's processes and services; the Pod Security Standards *baseline* profile forbids hostPath volumes altogether.",
    fix: 'Use a volume that does not touch the node: `emptyDir` for scratch space, a `configMap`/`secret` for configuration, a PersistentVolumeClaim for data:\n\n```yaml\nvolumes:\n  - name: cache\n    emptyDir: {}\n```\n\nIf a node agent really needs a host path, mount the narrowest path, read-only (`readOnly: true` on the volumeMount), and suppress the finding with a justification.',
    tags: ['security', 'kubernetes', 'pod-security'],
    fixByFormat: {
      compose:
        'Do not bind the Docker socket or host system paths into a service (an error for compose too: `/var/run/docker.sock` is root on the Docker host, wherever the file runs). Use a named volume for data, and a socket proxy with a narrow allowlist when a tool really needs the Docker API:\n\n```yaml\nservices:\n  web:\n    volumes:\n      - data:/var/lib/app\nvolumes:\n  data: {}\n```',
    },
    kinds: ['kubernetes', 'compose'],
    profile: 'baseline',
    messages: {
      runtimeSocket: '{subject} mounts the container runtime socket {path} ({mounts}): it can start privileged containers on the node.',
      sensitive: '{subject} mounts the host path {path}, which exposes {holds} ({mounts}).',
      composeSocket: '{subject} binds the container runtime socket {path}: it can start privileged containers on the Docker host.',
      composeSensitive: '{subject} binds the host path {path}, which exposes {holds}.',
    },
  },
  check(file, ctx) {
    for (const m of hostMounts(file)) {
      if (m.kind === 'other') continue;
      const compose = m.format === 'compose';
      const messageId =
        m.kind === 'runtimeSocket' ? (compose ? 'composeSocket' : 'runtimeSocket') : compose ? 'composeSensitive' : 'sensitive';
      ctx.report({
        messageId,
        data: { subject: m.subject, path: m.shown, holds: m.holds, mounts: m.mounts },
        at: m.at,
        identity: m.subject,
        value: m.path,
      });
    }
  },
};
