/**
 * The container model outside Kubernetes: docker-compose services and Azure Container Instances
 * containers (az YAML and ARM template resources), each setting with the node it came from, so
 * the workload rules run over compose and ACI without walking either format's YAML. Kubernetes
 * containers keep their own extractor (`workloads.ts`) with the pod-vs-container precedence.
 * Built lazily, once per file (cached on the parsed file's documents).
 */
import { posix } from 'node:path';
import { asBool, asInt, asItems, asMap, asText, get, getPair } from './yaml.js';
import type { YDoc, YMap, YNode, YPair } from './yaml.js';
import { composeEnvironment } from './services.js';
import { aciGroups, isExpression } from './aci.js';
import type { AciGroup } from './aci.js';
import type { EnvEntry } from './services.js';

/** The formats of the model (Kubernetes containers come from `workloads.ts`). */
export type ContainerFormat = 'compose' | 'aci';

/** A setting and the node that decides it. */
export interface Positioned<T> {
  value: T;
  at: YNode | YPair;
}

/** An effective user: what was written, split into user and group. */
export interface UserSetting {
  /** The user part (`root`, `0`, `app`). */
  user: string | undefined;
  /** The group part after `:`, when written. */
  group: string | undefined;
  at: YNode | YPair;
}

/** One added or dropped capability as written, with its kernel name (upper case, no `CAP_`). */
export interface CapabilityEntry {
  node: YNode;
  /** Kernel spelling: upper case, without `CAP_`. */
  name: string;
  /** Exactly as written. */
  text: string;
}

/** A host namespace shared with the container. */
export type HostNamespace = 'network' | 'pid' | 'ipc' | 'user' | 'uts';

/** A mount: a bind of a host path, a named or anonymous volume, tmpfs, or a device mapping. */
export interface Mount {
  type: 'bind' | 'volume' | 'anonymous' | 'tmpfs' | 'device' | 'other';
  /** The host path as written (binds and devices). */
  source: string | undefined;
  /**
   * The host path the engine resolves: absolute paths as written, `~` paths as written, paths
   * relative to the file joined to the file's directory (repository-relative).
   */
  hostPath: string | undefined;
  target: string | undefined;
  readOnly: boolean;
  at: YNode | YPair;
}

/** One container of a compose file or an ACI container group. */
export interface ModelContainer {
  format: ContainerFormat;
  /** `service "web"`, `container group "g" container "web"`. */
  label: string;
  /** The service's or container's map. */
  node: YMap;
  /**
   * Where findings about a missing setting point: the ACI container's securityContext key when it
   * exists, else the container item (`- name:`); the compose service key.
   */
  anchor: YPair | YMap;
  image: YNode | undefined;
  user: UserSetting | undefined;
  privileged: Positioned<boolean> | undefined;
  /** True when escalation is allowed (ACI allowPrivilegeEscalation; compose no-new-privileges false). */
  allowPrivilegeEscalation: Positioned<boolean> | undefined;
  capAdd: CapabilityEntry[];
  capDrop: CapabilityEntry[];
  hostNamespaces: Positioned<HostNamespace>[];
  mounts: Mount[];
  /** `unconfined` profiles and disabled SELinux labels (compose security_opt). */
  seccompUnconfined: YNode | undefined;
  apparmorUnconfined: YNode | undefined;
  labelDisabled: YNode | undefined;
  readOnlyRoot: Positioned<boolean> | undefined;
  environment: EnvEntry[];
  /** Compose `build:` context and Dockerfile, repository-relative (undefined for remote contexts). */
  build: { dockerfile: string } | undefined;
  /** ACI: the container's securityContext map. */
  securityContext: YMap | undefined;
}

/** Kernel capability name: upper case, without `CAP_`. */
function capName(text: string): string {
  const up = text.trim().toUpperCase();
  return up.startsWith('CAP_') ? up.slice(4) : up;
}

function capabilities(node: YNode | undefined): CapabilityEntry[] {
  const out: CapabilityEntry[] = [];
  for (const item of asItems(node)) {
    const text = asText(item);
    if (text !== undefined && text.trim() !== '' && !isExpression(text)) out.push({ node: item, name: capName(text), text });
  }
  return out;
}

function positionedBool(pair: YPair | undefined): Positioned<boolean> | undefined {
  if (!pair) return undefined;
  const value = asBool(pair.value);
  return value === undefined ? undefined : { value, at: pair };
}

function splitUser(text: string, at: YNode | YPair): UserSetting {
  const colon = text.indexOf(':');
  return colon < 0 ? { user: text, group: undefined, at } : { user: text.slice(0, colon), group: text.slice(colon + 1), at };
}

// ---- docker-compose ----

/** Looks a key up through a service's same-file `extends:` chain (at most 5 steps). */
function composeLookup(services: YMap, node: YMap): (key: string) => YPair | undefined {
  const chain: YMap[] = [node];
  let current: YMap | undefined = node;
  for (let i = 0; i < 5 && current; i++) {
    const ext = get(current, 'extends');
    // `extends: {service, file}` with another file is not followed: that file is checked on its own.
    if (get(ext, 'file')) break;
    const base = asText(ext) ?? asText(get(ext, 'service'));
    current = base ? asMap(get(services, base)) : undefined;
    if (current && !chain.includes(current)) chain.push(current);
    else break;
  }
  return (key) => {
    for (const m of chain) {
      const pair = getPair(m, key);
      if (pair) return pair;
    }
    return undefined;
  };
}

/** Sequences merge along `extends:` (compose appends them): every item of the chain. */
function composeItems(services: YMap, node: YMap, key: string): YNode[] {
  const out: YNode[] = [];
  const seen = new Set<YMap>();
  let current: YMap | undefined = node;
  for (let i = 0; i < 6 && current && !seen.has(current); i++) {
    seen.add(current);
    out.push(...asItems(get(current, key)));
    const ext = get(current, 'extends');
    if (get(ext, 'file')) break;
    const base = asText(ext) ?? asText(get(ext, 'service'));
    current = base ? asMap(get(services, base)) : undefined;
  }
  return out;
}

const HOST_KEYS: readonly [string, HostNamespace][] = [
  ['network_mode', 'network'],
  ['pid', 'pid'],
  ['ipc', 'ipc'],
  ['userns_mode', 'user'],
  ['uts', 'uts'],
];

/** Resolves a compose host path: relative ones are relative to the compose file's directory. */
function hostPathOf(source: string, fileDir: string): string {
  if (source.startsWith('/') || source.startsWith('~') || /^[A-Za-z]:[\\/]/.test(source)) return source;
  return posix.normalize(posix.join(fileDir, source));
}

const isHostSource = (s: string): boolean => s.startsWith('/') || s.startsWith('.') || s.startsWith('~') || /^[A-Za-z]:[\\/]/.test(s);

function composeVolume(item: YNode, fileDir: string): Mount | undefined {
  if (item.kind === 'scalar') {
    const text = item.text;
    // `C:\data:/data` keeps its drive colon.
    const drive = /^[A-Za-z]:[\\/]/.test(text) ? 2 : 0;
    const colon = text.indexOf(':', drive);
    if (colon < 0) return { type: 'anonymous', source: undefined, hostPath: undefined, target: text, readOnly: false, at: item };
    const source = text.slice(0, colon);
    const rest = text.slice(colon + 1).split(':');
    const readOnly = (rest[1] ?? '').split(',').includes('ro');
    if (!isHostSource(source)) return { type: 'volume', source, hostPath: undefined, target: rest[0], readOnly, at: item };
    return { type: 'bind', source, hostPath: hostPathOf(source, fileDir), target: rest[0], readOnly, at: item };
  }
  if (item.kind !== 'map') return undefined;
  const type = asText(get(item, 'type'));
  const source = asText(get(item, 'source'));
  const target = asText(get(item, 'target'));
  const readOnly = asBool(get(item, 'read_only')) === true;
  const at = getPair(item, 'source') ?? item;
  if (type === 'bind' && source) return { type: 'bind', source, hostPath: hostPathOf(source, fileDir), target, readOnly, at };
  if (type === 'tmpfs') return { type: 'tmpfs', source: undefined, hostPath: undefined, target, readOnly, at: item };
  if (type === 'volume' || (type === undefined && source && !isHostSource(source))) {
    return { type: source ? 'volume' : 'anonymous', source, hostPath: undefined, target, readOnly, at: item };
  }
  return { type: 'other', source, hostPath: undefined, target, readOnly, at: item };
}

function composeDevice(item: YNode): Mount | undefined {
  const text = asText(item) ?? asText(get(item, 'source'));
  if (!text) return undefined;
  const source = item.kind === 'scalar' ? text.split(':')[0]! : text;
  return { type: 'device', source, hostPath: source, target: undefined, readOnly: false, at: item };
}

/** `seccomp:unconfined`, `seccomp=unconfined`, `no-new-privileges:false`... as key and value. */
function securityOpt(text: string): { key: string; value: string } {
  const m = /^([a-z-]+)\s*[:=]\s*(.*)$/i.exec(text.trim());
  return m ? { key: m[1]!.toLowerCase(), value: m[2]!.trim().toLowerCase() } : { key: text.trim().toLowerCase(), value: '' };
}

function composeContainer(services: YMap, pair: YPair, node: YMap, fileDir: string): ModelContainer {
  const look = composeLookup(services, node);
  const items = (key: string): YNode[] => composeItems(services, node, key);
  const userPair = look('user');
  const userText = userPair && userPair.value.kind === 'scalar' ? userPair.value.text : undefined;
  const hostNamespaces: Positioned<HostNamespace>[] = [];
  for (const [key, namespace] of HOST_KEYS) {
    const p = look(key);
    if (p && asText(p.value)?.toLowerCase() === 'host') hostNamespaces.push({ value: namespace, at: p });
  }
  let seccompUnconfined: YNode | undefined;
  let apparmorUnconfined: YNode | undefined;
  let labelDisabled: YNode | undefined;
  let allowPrivilegeEscalation: Positioned<boolean> | undefined;
  for (const opt of items('security_opt')) {
    const text = asText(opt);
    if (!text) continue;
    const { key, value } = securityOpt(text);
    if (key === 'seccomp' && value === 'unconfined') seccompUnconfined = opt;
    else if (key === 'apparmor' && value === 'unconfined') apparmorUnconfined = opt;
    else if (key === 'label' && value === 'disable') labelDisabled = opt;
    else if (key === 'no-new-privileges') allowPrivilegeEscalation = { value: value === 'false', at: opt };
  }
  const mounts: Mount[] = [];
  for (const v of items('volumes')) {
    const m = composeVolume(v, fileDir);
    if (m) mounts.push(m);
  }
  for (const d of items('devices')) {
    const m = composeDevice(d);
    if (m) mounts.push(m);
  }
  const buildNode = look('build')?.value;
  let build: ModelContainer['build'];
  if (buildNode) {
    const context = asText(buildNode) ?? asText(get(buildNode, 'context')) ?? '.';
    const dockerfile = asText(get(buildNode, 'dockerfile')) ?? 'Dockerfile';
    if (!/^[a-z]+:\/\//i.test(context) && !context.startsWith('/') && !context.includes('$') && !get(buildNode, 'dockerfile_inline')) {
      build = { dockerfile: posix.normalize(posix.join(fileDir, context, dockerfile)) };
    }
  }
  return {
    format: 'compose',
    label: `service "${pair.keyText}"`,
    node,
    anchor: pair,
    image: look('image')?.value,
    user: userText !== undefined && userText !== '' ? splitUser(userText, userPair!) : undefined,
    privileged: positionedBool(look('privileged')),
    allowPrivilegeEscalation,
    capAdd: capabilities(look('cap_add')?.value),
    capDrop: capabilities(look('cap_drop')?.value),
    hostNamespaces,
    mounts,
    seccompUnconfined,
    apparmorUnconfined,
    labelDisabled,
    readOnlyRoot: positionedBool(look('read_only')),
    environment: composeEnvironment(look('environment')?.value),
    build,
    securityContext: undefined,
  };
}

// ---- Azure Container Instances ----

function aciContainer(group: AciGroup, item: YMap, index: number, init: boolean): ModelContainer {
  const namePair = getPair(item, 'name');
  const name = asText(namePair?.value) ?? `#${index + 1}`;
  const props = asMap(get(item, 'properties'));
  const scPair = getPair(props, 'securityContext');
  const sc = asMap(scPair?.value);
  const caps = get(sc, 'capabilities');
  const runAsUser = getPair(sc, 'runAsUser');
  const runAsGroup = getPair(sc, 'runAsGroup');
  let user: UserSetting | undefined;
  if (runAsUser || runAsGroup) {
    const u = runAsUser ? asInt(runAsUser.value) : undefined;
    const g = runAsGroup ? asInt(runAsGroup.value) : undefined;
    user = { user: u === undefined ? undefined : String(u), group: g === undefined ? undefined : String(g), at: runAsUser ?? runAsGroup! };
  }
  const volumes = new Map<string, YMap>();
  for (const v of asItems(get(group.props, 'volumes'))) {
    const n = asText(get(v, 'name'));
    if (n && v.kind === 'map') volumes.set(n, v);
  }
  const mounts: Mount[] = [];
  for (const m of asItems(get(props, 'volumeMounts'))) {
    const vol = volumes.get(asText(get(m, 'name')) ?? '');
    mounts.push({
      type: vol && get(vol, 'emptyDir') ? 'volume' : 'other',
      source: undefined,
      hostPath: undefined,
      target: asText(get(m, 'mountPath')),
      readOnly: asBool(get(m, 'readOnly')) === true,
      at: m,
    });
  }
  return {
    format: 'aci',
    label: `container group "${group.name}" ${init ? 'init container' : 'container'} "${name}"`,
    node: item,
    anchor: scPair ?? namePair ?? item,
    image: get(props, 'image'),
    user,
    privileged: positionedBool(getPair(sc, 'privileged')),
    allowPrivilegeEscalation: positionedBool(getPair(sc, 'allowPrivilegeEscalation')),
    capAdd: capabilities(get(caps, 'add')),
    capDrop: capabilities(get(caps, 'drop')),
    hostNamespaces: [],
    mounts,
    seccompUnconfined: undefined,
    apparmorUnconfined: undefined,
    labelDisabled: undefined,
    readOnlyRoot: undefined,
    environment: [],
    build: undefined,
    securityContext: sc,
  };
}

const cache = new WeakMap<readonly YDoc[], ModelContainer[]>();

/** Every container of a compose or ACI file, in document order (built once per file). */
export function modelContainers(file: { kind: string; docs: YDoc[]; source: { path: string } }): ModelContainer[] {
  if (file.kind !== 'compose' && file.kind !== 'aci') return [];
  const hit = cache.get(file.docs);
  if (hit) return hit;
  const out: ModelContainer[] = [];
  if (file.kind === 'compose') {
    const dir = posix.dirname(file.source.path);
    for (const doc of file.docs) {
      const services = asMap(get(doc.root ?? undefined, 'services'));
      for (const pair of services?.pairs ?? []) {
        const node = asMap(pair.value);
        if (node && services) out.push(composeContainer(services, pair, node, dir));
      }
    }
  } else {
    for (const g of aciGroups(file.docs)) {
      for (const [key, init] of [
        ['initContainers', true],
        ['containers', false],
      ] as const) {
        asItems(get(g.props, key)).forEach((item, i) => {
          if (item.kind === 'map') out.push(aciContainer(g, item, i, init));
        });
      }
    }
  }
  cache.set(file.docs, out);
  return out;
}
