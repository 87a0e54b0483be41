/**
 * The single pod-spec extractor: every pod spec of every workload kind, every container in it
 * (containers, initContainers, ephemeralContainers) and its effective security settings.
 * Rules use this and never walk raw workload YAML themselves.
 */
import { asItems, asMap, asText, get, getPair } from './yaml.js';
import type { YMap, YNode, YPair } from './yaml.js';
import type { K8sObject } from './kubernetes.js';

/** Where the pod spec lives for each workload kind. */
const POD_SPEC_PATHS: Record<string, readonly string[]> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** Workload kinds podguard extracts pod specs from. */
export const WORKLOAD_KINDS: readonly string[] = Object.keys(POD_SPEC_PATHS);

/** One pod spec with its owner. */
export interface Workload {
  object: K8sObject;
  /** `Deployment/api`. */
  label: string;
  podSpec: YMap;
  /** The pod template's metadata (or the Pod's own metadata). */
  podMeta: YMap | undefined;
  /** Pod-level securityContext, if any. */
  podSecurityContext: YMap | undefined;
  containers: Container[];
}

/** The three places a container may be declared. */
export type ContainerKind = 'containers' | 'initContainers' | 'ephemeralContainers';

/** Where an effective setting came from. */
export type SettingSource = 'container' | 'pod';

/** An effective setting: the node that decides it and where it stands. */
export interface Effective {
  node: YNode;
  pair: YPair;
  source: SettingSource;
}

/** Fields that exist in both the pod and the container securityContext; the container wins. */
export const SHARED_SECURITY_FIELDS = [
  'runAsUser',
  'runAsGroup',
  'runAsNonRoot',
  'seLinuxOptions',
  'seccompProfile',
  'appArmorProfile',
  'windowsOptions',
] as const;
/** A field shared by pod and container securityContexts. */
export type SharedSecurityField = (typeof SHARED_SECURITY_FIELDS)[number];

/** One container with its workload and effective security settings. */
export interface Container {
  workload: Workload;
  node: YMap;
  kind: ContainerKind;
  name: string;
  /** The `name:` pair, where findings about a missing setting point; falls back to the container node. */
  anchor: YPair | YMap;
  /** Container-level securityContext, if any. */
  securityContext: YMap | undefined;
  /** `Deployment/api container "web"` (init and ephemeral containers say so). */
  label: string;
  image: YNode | undefined;
}

/** The effective value of a field shared by pod and container securityContexts. */
export function effective(c: Container, field: SharedSecurityField): Effective | undefined {
  const own = getPair(c.securityContext, field);
  if (own) return { node: own.value, pair: own, source: 'container' };
  const pod = getPair(c.workload.podSecurityContext, field);
  if (pod) return { node: pod.value, pair: pod, source: 'pod' };
  return undefined;
}

/** A container-only securityContext field (e.g. privileged, capabilities). */
export function containerField(c: Container, field: string): YPair | undefined {
  return getPair(c.securityContext, field);
}

const KIND_WORD: Record<ContainerKind, string> = {
  containers: 'container',
  initContainers: 'init container',
  ephemeralContainers: 'ephemeral container',
};

function podSpecOf(obj: K8sObject): { spec: YMap; meta: YMap | undefined } | undefined {
  const path = POD_SPEC_PATHS[obj.kind];
  if (!path) return undefined;
  let node: YNode | undefined = obj.node;
  let meta: YMap | undefined = asMap(get(obj.node, 'metadata'));
  for (let i = 0; i < path.length; i++) {
    node = get(node, path[i]!);
    // The metadata beside each `spec` on the way down belongs to the template we enter.
    if (path[i] === 'template') meta = asMap(get(node, 'metadata'));
  }
  const spec = asMap(node);
  return spec ? { spec, meta } : undefined;
}

/** Extracts the workload (pod spec and containers) of an object, if it has one. */
export function workloadOf(obj: K8sObject): Workload | undefined {
  const found = podSpecOf(obj);
  if (!found) return undefined;
  const w: Workload = {
    object: obj,
    label: obj.label,
    podSpec: found.spec,
    podMeta: found.meta,
    podSecurityContext: asMap(get(found.spec, 'securityContext')),
    containers: [],
  };
  for (const kind of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    asItems(get(found.spec, kind)).forEach((item, i) => {
      if (item.kind !== 'map') return;
      const namePair = getPair(item, 'name');
      const name = asText(namePair?.value) ?? `#${i + 1}`;
      w.containers.push({
        workload: w,
        node: item,
        kind,
        name,
        anchor: namePair ?? item,
        securityContext: asMap(get(item, 'securityContext')),
        label: `${obj.label} ${KIND_WORD[kind]} "${name}"`,
        image: get(item, 'image'),
      });
    });
  }
  return w;
}
