/**
 * Host paths a file mounts, in every format: Kubernetes hostPath volumes of pod specs and of
 * PersistentVolumes, compose bind mounts (short and long syntax) and device mappings, each
 * classified (runtime socket, sensitive node path, other). Shared by host-path and host-path-other.
 */
import { asItems, asText, get, getPair } from '../parse/yaml.js';
import type { YNode, YPair } from '../parse/yaml.js';
import type { Workload } from '../parse/workloads.js';
import type { ParsedFile } from '../parse/index.js';
import { modelContainers } from '../parse/containers.js';

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
  ['/etc/cni', "the node's network plugin configuration"],
  ['/opt/cni', "the node's network plugin binaries"],
  ['/etc/pki', "the node's certificates and keys"],
  ['/etc/sysconfig', NODE_CONFIG],
  ['/lib/modules', "the node's kernel modules"],
  ['/usr/lib/modules', "the node's kernel modules"],
  ['/var/log', "the node's and every pod's logs (and, through links, any node file)"],
  ['/home', "the users' home directories and credentials"],
  ['~/.kube', 'a kubeconfig with cluster credentials'],
  ['~/.ssh', "the user's SSH keys"],
  ['~/.aws', "the user's cloud credentials"],
  ['~/.azure', "the user's cloud credentials"],
  ['~/.config/gcloud', "the user's cloud credentials"],
  ['~/.docker', "the user's registry credentials"],
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

/** Resolves `.`, `..`, repeated and trailing slashes the way the node would (`~/` paths keep their `~`). */
export function normalizePath(raw: string): string | undefined {
  if (raw === '~' || raw.startsWith('~/')) {
    const rest = normalizePath(raw.slice(1) || '/');
    return rest === '/' ? '~' : `~${rest}`;
  }
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

/** How dangerous a (normalised) host path is, and what it exposes when it is sensitive. */
export function classifyHostPath(path: string): { kind: 'runtimeSocket' | 'sensitive' | 'other'; holds: string } {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (RUNTIME_SOCKETS.has(base)) return { kind: 'runtimeSocket', holds: '' };
  if (path === '~') return { kind: 'sensitive', holds: "the user's home directory and credentials" };
  // A kubeconfig anywhere (`/home/ci/.kube/config`, `/srv/admin.kubeconfig`) holds cluster credentials.
  if (/(^|\/)\.kube(\/|$)|kubeconfig/i.test(path) || /\/etc\/kubernetes\/[^/]+\.conf$/.test(path)) {
    return { kind: 'sensitive', holds: 'a kubeconfig with cluster credentials' };
  }
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

/** One host path a file mounts. */
export interface HostMount {
  format: 'kubernetes' | 'compose';
  /** `volume`: a pod's hostPath volume; `pv`: a PersistentVolume; `bind`, `device`: compose. */
  source: 'volume' | 'pv' | 'bind' | 'device';
  kind: 'runtimeSocket' | 'sensitive' | 'other';
  /** The path as shown (with what the node resolves it to when that differs). */
  shown: string;
  /** The normalised path (absolute or `~/`), or the raw text when it is neither. */
  path: string;
  /** True for a path relative to the compose file (inside the repository). */
  relative: boolean;
  holds: string;
  /** `Deployment/api volume "data"`, `service "web"`. */
  subject: string;
  /** Kubernetes: who mounts the volume. */
  mounts: string;
  at: YNode | YPair;
}

function describe(raw: string): { kind: HostMount['kind']; holds: string; shown: string; path: string } {
  const path = normalizePath(raw);
  const { kind, holds } = path === undefined ? { kind: 'other' as const, holds: '' } : classifyHostPath(path);
  // Show what the node resolves a path with `..` or `//` to, so the finding is obvious.
  const shown = !raw ? '(no path)' : path && path !== raw && path !== raw.replace(/\/+$/, '') ? `${raw} (that is ${path})` : raw;
  return { kind, holds, shown, path: path ?? raw };
}

/** Every host path the file mounts. */
export function hostMounts(file: ParsedFile): HostMount[] {
  const out: HostMount[] = [];
  if (file.kind === 'kubernetes') {
    for (const w of file.workloads) {
      for (const vol of asItems(get(w.podSpec, 'volumes'))) {
        const hostPath = get(vol, 'hostPath');
        if (!hostPath) continue;
        const volume = asText(get(vol, 'name')) ?? '(unnamed)';
        const pathPair = getPair(hostPath, 'path');
        const d = describe(asText(pathPair?.value) ?? '');
        out.push({
          format: 'kubernetes',
          source: 'volume',
          ...d,
          relative: false,
          subject: `${w.label} volume "${volume}"`,
          mounts: mountedBy(w, volume),
          at: pathPair ?? getPair(vol, 'hostPath') ?? vol,
        });
      }
    }
    for (const o of file.objects) {
      if (o.kind !== 'PersistentVolume') continue;
      const hostPath = get(get(o.node, 'spec'), 'hostPath');
      if (!hostPath) continue;
      const pathPair = getPair(hostPath, 'path');
      const d = describe(asText(pathPair?.value) ?? '');
      out.push({
        format: 'kubernetes',
        source: 'pv',
        ...d,
        relative: false,
        subject: o.label,
        mounts: 'for any pod that claims it',
        at: pathPair ?? getPair(get(o.node, 'spec'), 'hostPath') ?? o.node,
      });
    }
    return out;
  }
  if (file.kind !== 'compose') return out;
  // A mount shared through `extends:` or a merged `x-` fragment is one line to fix: report it once.
  const seen = new Set<YNode | YPair>();
  for (const c of modelContainers(file)) {
    for (const m of c.mounts) {
      if ((m.type !== 'bind' && m.type !== 'device') || !m.source || seen.has(m.at)) continue;
      seen.add(m.at);
      const relative = !m.source.startsWith('/') && !m.source.startsWith('~') && !/^[A-Za-z]:[\\/]/.test(m.source);
      const d = relative ? { kind: 'other' as const, holds: '', shown: m.source, path: m.hostPath ?? m.source } : describe(m.source);
      // A device mapping is always under /dev; it is one device, not the node's /dev tree.
      if (m.type === 'device') d.kind = 'other';
      out.push({ format: 'compose', source: m.type, ...d, relative, subject: c.label, mounts: '', at: m.at });
    }
  }
  return out;
}
