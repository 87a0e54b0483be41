import type { Rule } from './api.js';
import { asItems, asText, get, getPair } from '../parse/yaml.js';
import type { Workload } from '../parse/workloads.js';
import { forEachWorkload } from './util.js';

/** Container runtime sockets: whoever can talk to one can start a privileged container on the node. */
const RUNTIME_SOCKETS = new Set(['docker.sock', 'containerd.sock', 'crio.sock', 'cri-dockerd.sock', 'dockershim.sock', 'podman.sock']);

const NODE_CONFIG = "the node's configuration and credentials";
const RUNTIME_STATE = "the container runtime's sockets and state";

/** Paths whose whole tree is sensitive (any path under them is an error too), with what they hold. */
const SENSITIVE_TREES = new Map<string, string>([
  // First match names what a parent directory exposes, so the worst come first.
  ['/var/lib/kubelet', 'the volumes, secrets and tokens of every pod on the node'],
  ['/var/lib/docker', "every container's file system"],
  ['/var/lib/containerd', "every container's file system"],
  ['/var/lib/etcd', "the cluster's database, with every Secret"],
  ['/proc', "the node's processes and kernel settings"],
  ['/sys', "the node's kernel and device settings"],
  ['/dev', "the node's devices"],
  ['/boot', "the node's kernel and boot loader"],
  ['/root', "the node's root home directory"],
  ['/var/run', RUNTIME_STATE],
  ['/run', RUNTIME_STATE],
  ['/etc/kubernetes', "the node's Kubernetes credentials and certificates"],
  ['/etc/ssh', NODE_CONFIG],
  ['/etc/sudoers.d', NODE_CONFIG],
  ['/etc/systemd', NODE_CONFIG],
  ['/etc/containerd', "the container runtime's configuration"],
  ['/etc/docker', "the container runtime's configuration"],
  ['/etc/crio', "the container runtime's configuration"],
  ['/etc/cron.d', NODE_CONFIG],
]);

/**
 * Sensitive single entries. `/etc` itself is sensitive (it holds the node's credentials and
 * configuration), but much of it is harmless to read (`/etc/ssl/certs`, `/etc/localtime`), so
 * only these entries under it are errors; other `/etc` paths are warnings.
 */
const SENSITIVE_PATHS = new Map<string, string>([
  ['/', "the node's whole file system"],
  ['/etc', NODE_CONFIG],
  ['/etc/shadow', NODE_CONFIG],
  ['/etc/gshadow', NODE_CONFIG],
  ['/etc/passwd', NODE_CONFIG],
  ['/etc/sudoers', NODE_CONFIG],
  ['/etc/crontab', NODE_CONFIG],
]);

/**
 * Paths under `/run` and `/var/run` that node agents commonly share and that grant nothing
 * (kube-proxy and CNI plugins lock iptables through this file).
 */
const RUN_EXCEPTIONS = new Set(['/run/xtables.lock', '/var/run/xtables.lock']);

/** Resolves `.`, `..`, repeated and trailing slashes the way the node would. */
function normalizePath(raw: string): string | undefined {
  if (!raw.startsWith('/')) return undefined;
  const parts: string[] = [];
  for (const seg of raw.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

const isUnder = (path: string, tree: string): boolean => path === tree || path.startsWith(`${tree}/`);

/** How dangerous a host path is, and what it exposes when it is sensitive. */
function classify(path: string): { kind: 'runtimeSocket' | 'sensitive' | 'other'; holds: string } {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (RUNTIME_SOCKETS.has(base)) return { kind: 'runtimeSocket', holds: '' };
  if (RUN_EXCEPTIONS.has(path)) return { kind: 'other', holds: '' };
  const exact = SENSITIVE_PATHS.get(path);
  if (exact) return { kind: 'sensitive', holds: exact };
  for (const [tree, holds] of SENSITIVE_TREES) if (isUnder(path, tree)) return { kind: 'sensitive', holds };
  // A parent of a sensitive path exposes it too: `/var` holds `/var/lib/kubelet`.
  for (const t of [...SENSITIVE_TREES.keys(), ...SENSITIVE_PATHS.keys()]) {
    if (t !== path && isUnder(t, path)) return { kind: 'sensitive', holds: `${t} among others` };
  }
  return { kind: 'other', holds: '' };
}

/** The containers of a workload that mount the named volume, as `"a", "b"`. */
function mountedBy(w: Workload, volume: string): string {
  const names = w.containers
    .filter((c) => asItems(get(c.node, 'volumeMounts')).some((m) => asText(get(m, 'name')) === volume))
    .map((c) => `"${c.name}"`);
  if (!names.length) return 'not mounted by any container';
  return `mounted by container${names.length > 1 ? 's' : ''} ${names.join(', ')}`;
}

/** hostPath volumes expose the node's file system to the pod. */
export const rule: Rule = {
  meta: {
    id: 'host-path',
    title: 'Host path mounted',
    level: 'error',
    securitySeverity: 8.5,
    precision: 'high',
    description:
      'A pod mounts a hostPath volume: an error for container runtime sockets and sensitive node paths (/, /etc, /proc, /sys, /dev, /var/run, /var/lib/kubelet...), a warning for any other host path.',
    why: "A `hostPath` volume gives the pod a piece of the node's file system. The container runtime socket (`docker.sock`, `containerd.sock`, `crio.sock`) lets the pod start a privileged container on the node: a full node takeover. `/etc`, `/root`, `/var/lib/kubelet` hold the node's and other pods' credentials; `/proc`, `/sys` and `/dev` reach the kernel and devices; a parent such as `/var` or `/` exposes all of them. Microsoft's \"Best practices for pod security in AKS\" asks to limit access to the underlying node's processes and services; the Pod Security Standards *baseline* profile forbids hostPath volumes altogether.",
    fix: 'Use a volume that does not touch the node: `emptyDir` for scratch space, a `configMap`/`secret` for configuration, a PersistentVolumeClaim for data:\n\n```yaml\nvolumes:\n  - name: cache\n    emptyDir: {}\n```\n\nIf a node agent really needs a host path, mount the narrowest path, read-only (`readOnly: true` on the volumeMount), and suppress the finding with a justification.',
    tags: ['security', 'kubernetes', 'pod-security'],
    kinds: ['kubernetes'],
    profile: 'baseline',
    messages: {
      runtimeSocket:
        '{workload} volume "{volume}" mounts the container runtime socket {path} ({mounts}): it can start privileged containers on the node.',
      sensitive: '{workload} volume "{volume}" mounts the host path {path}, which exposes {holds} ({mounts}).',
      other: '{workload} volume "{volume}" mounts the host path {path} ({mounts}).',
    },
  },
  check(file, ctx) {
    forEachWorkload(file, (w) => {
      for (const vol of asItems(get(w.podSpec, 'volumes'))) {
        const hostPath = get(vol, 'hostPath');
        if (!hostPath) continue;
        const volume = asText(get(vol, 'name')) ?? '(unnamed)';
        const pathPair = getPair(hostPath, 'path');
        const raw = asText(pathPair?.value) ?? '';
        const path = normalizePath(raw);
        const { kind, holds } = path === undefined ? { kind: 'other' as const, holds: '' } : classify(path);
        // Show what the node resolves a path with `..` or `//` to, so the finding is obvious.
        const shown = !raw ? '(no path)' : path && path !== raw && path !== raw.replace(/\/+$/, '') ? `${raw} (that is ${path})` : raw;
        const at = pathPair ?? getPair(vol, 'hostPath') ?? vol;
        ctx.report({
          messageId: kind,
          data: { workload: w.label, volume, path: shown, holds, mounts: mountedBy(w, volume) },
          at,
          identity: `${w.label} volume "${volume}"`,
          value: path ?? raw,
          ...(kind === 'other' ? { level: 'warning' as const } : {}),
        });
      }
    });
  },
};
