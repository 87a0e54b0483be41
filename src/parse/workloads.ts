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
  /** How the pod spec was found (misplaced-field checks of the wrappers only hold for `standard`). */
  shape: WorkloadShape;
}

/** The places a container may be declared (pod specs; Argo templates; Tekton tasks). */
export type ContainerKind =
  'containers' | 'initContainers' | 'ephemeralContainers' | 'container' | 'script' | 'containerSet' | 'sidecars' | 'steps';

/** How a workload was found: a standard kind's pod spec, a pod template of another kind, an Argo template, a Tekton task. */
export type WorkloadShape = 'standard' | 'template' | 'argo' | 'tekton';

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
  container: 'container',
  script: 'script container',
  containerSet: 'container',
  sidecars: 'sidecar',
  steps: 'step',
};

function podSpecOf(obj: K8sObject): { spec: YMap; meta: YMap | undefined } | undefined {
  const path = POD_SPEC_PATHS[obj.kind];
  if (!path) return undefined;
  return followPath(obj.node, asMap(get(obj.node, 'metadata')), path);
}

/** Walks `path` from `start`; the metadata beside each `template` on the way belongs to the pod. */
function followPath(start: YMap, startMeta: YMap | undefined, path: readonly string[]): { spec: YMap; meta: YMap | undefined } | undefined {
  let node: YNode | undefined = start;
  let meta = startMeta;
  for (let i = 0; i < path.length; i++) {
    node = get(node, path[i]!);
    if (path[i] === 'template') meta = asMap(get(node, 'metadata'));
  }
  const spec = asMap(node);
  return spec ? { spec, meta } : undefined;
}

/** Container lists of a standard pod spec. */
const POD_LISTS: readonly ContainerKind[] = ['initContainers', 'containers', 'ephemeralContainers'];

/** Builds one workload from a found pod spec and the container lists to read in it. */
function build(
  obj: K8sObject,
  label: string,
  found: { spec: YMap; meta: YMap | undefined },
  lists: readonly ContainerKind[],
  shape: WorkloadShape,
  podSecurityContext: YMap | undefined = asMap(get(found.spec, 'securityContext')),
): Workload {
  const w: Workload = { object: obj, label, podSpec: found.spec, podMeta: found.meta, podSecurityContext, containers: [], shape };
  for (const kind of lists) {
    const value = kind === 'containerSet' ? get(get(found.spec, 'containerSet'), 'containers') : get(found.spec, kind);
    const items = value?.kind === 'map' ? [value] : asItems(value);
    items.forEach((item, i) => {
      if (item.kind !== 'map') return;
      const namePair = getPair(item, 'name');
      const name = asText(namePair?.value) ?? (value?.kind === 'map' ? kind : `#${i + 1}`);
      w.containers.push({
        workload: w,
        node: item,
        kind,
        name,
        anchor: namePair ?? item,
        securityContext: asMap(get(item, 'securityContext')),
        label: value?.kind === 'map' ? `${label} ${KIND_WORD[kind]}` : `${label} ${KIND_WORD[kind]} "${name}"`,
        image: get(item, 'image'),
      });
    });
  }
  return w;
}

const group = (obj: K8sObject): string => obj.apiVersion.split('/')[0]!;

/** Argo templates that run a pod: `container`, `script`, `containerSet`, with init containers and sidecars. */
const ARGO_LISTS: readonly ContainerKind[] = ['initContainers', 'container', 'script', 'containerSet', 'sidecars'];

function argoTemplates(obj: K8sObject, wfSpec: YMap | undefined, out: Workload[]): void {
  const wfContext = asMap(get(wfSpec, 'securityContext'));
  asItems(get(wfSpec, 'templates')).forEach((t, i) => {
    if (t.kind !== 'map') return;
    const name = asText(get(t, 'name')) ?? `#${i + 1}`;
    const w = build(
      obj,
      `${obj.label} template "${name}"`,
      { spec: t, meta: asMap(get(t, 'metadata')) },
      ARGO_LISTS,
      'argo',
      asMap(get(t, 'securityContext')) ?? wfContext,
    );
    if (w.containers.length) out.push(w);
  });
}

function tektonTaskSpec(obj: K8sObject, label: string, spec: YMap | undefined, podContext: YMap | undefined, out: Workload[]): void {
  if (!spec) return;
  const w = build(obj, label, { spec, meta: undefined }, ['steps', 'sidecars'], 'tekton', podContext);
  if (w.containers.length) out.push(w);
}

function tektonPipeline(obj: K8sObject, spec: YMap | undefined, podContext: YMap | undefined, out: Workload[]): void {
  for (const list of ['tasks', 'finally']) {
    asItems(get(spec, list)).forEach((t, i) => {
      const name = asText(get(t, 'name')) ?? `#${i + 1}`;
      tektonTaskSpec(obj, `${obj.label} task "${name}"`, asMap(get(t, 'taskSpec')), podContext, out);
    });
  }
}

/**
 * Every pod spec of an object: the standard workload kinds, Argo Rollouts, OpenShift
 * DeploymentConfigs, Knative serving, Argo Workflows, Tekton and KEDA ScaledJobs, then a
 * conservative shape rule (a `template` whose `spec.containers[]` items carry `image`).
 */
export function workloadsOf(obj: K8sObject): Workload[] {
  const std = podSpecOf(obj);
  if (std) return [build(obj, obj.label, std, POD_LISTS, 'standard')];
  const out: Workload[] = [];
  const spec = asMap(get(obj.node, 'spec'));
  const meta = asMap(get(obj.node, 'metadata'));
  const g = group(obj);
  const templated = (path: readonly string[]): void => {
    const found = followPath(obj.node, meta, path);
    if (found) out.push(build(obj, obj.label, found, POD_LISTS, 'template'));
  };
  if (g === 'argoproj.io') {
    if (obj.kind === 'Rollout') templated(['spec', 'template', 'spec']);
    else if (obj.kind === 'Workflow' || obj.kind === 'WorkflowTemplate' || obj.kind === 'ClusterWorkflowTemplate')
      argoTemplates(obj, spec, out);
    else if (obj.kind === 'CronWorkflow') argoTemplates(obj, asMap(get(spec, 'workflowSpec')), out);
    else shaped(obj, out);
    return out;
  }
  if (g === 'serving.knative.dev') {
    if (obj.kind === 'Revision') {
      if (spec) out.push(build(obj, obj.label, { spec, meta }, POD_LISTS, 'template'));
    } else if (obj.kind === 'Service' || obj.kind === 'Configuration') templated(['spec', 'template', 'spec']);
    return out;
  }
  if (g === 'tekton.dev') {
    const podContext = asMap(get(get(spec, 'podTemplate'), 'securityContext'));
    if (obj.kind === 'Task' || obj.kind === 'ClusterTask') tektonTaskSpec(obj, obj.label, spec, undefined, out);
    else if (obj.kind === 'TaskRun') tektonTaskSpec(obj, obj.label, asMap(get(spec, 'taskSpec')), podContext, out);
    else if (obj.kind === 'Pipeline') tektonPipeline(obj, spec, undefined, out);
    else if (obj.kind === 'PipelineRun')
      tektonPipeline(obj, asMap(get(spec, 'pipelineSpec')), asMap(get(get(spec, 'taskRunTemplate'), 'podTemplate')) ?? podContext, out);
    return out;
  }
  if (obj.kind === 'DeploymentConfig' && (g === 'apps.openshift.io' || obj.apiVersion === 'v1')) {
    templated(['spec', 'template', 'spec']);
    return out;
  }
  if (obj.kind === 'ScaledJob' && g === 'keda.sh') {
    templated(['spec', 'jobTargetRef', 'template', 'spec']);
    return out;
  }
  shaped(obj, out);
  return out;
}

/** Kinds that never hold a pod template (the shape rule skips them without walking). */
const NO_PODS = new Set([
  'ConfigMap',
  'Secret',
  'Service',
  'ServiceAccount',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'Namespace',
  'Ingress',
  'NetworkPolicy',
  'PersistentVolumeClaim',
  'PersistentVolume',
  'CustomResourceDefinition',
  'StorageClass',
  'PodDisruptionBudget',
  'HorizontalPodAutoscaler',
  'LimitRange',
  'ResourceQuota',
  'Endpoints',
  'EndpointSlice',
  'PriorityClass',
  'IngressClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'APIService',
]);

const carriesImage = (items: readonly YNode[]): boolean => items.some((i) => i.kind === 'map' && get(i, 'image') !== undefined);

/** The shape rule: a `template` map (at most 4 levels deep) whose `spec.containers[]` carry `image`. */
function shaped(obj: K8sObject, out: Workload[]): void {
  if (NO_PODS.has(obj.kind)) return;
  const walk = (node: YMap, depth: number): void => {
    for (const pair of node.pairs) {
      const value = pair.value;
      if (value.kind !== 'map') continue;
      if (pair.keyText === 'template') {
        const spec = asMap(get(value, 'spec'));
        if (spec && carriesImage(asItems(get(spec, 'containers')))) {
          out.push(build(obj, obj.label, { spec, meta: asMap(get(value, 'metadata')) }, POD_LISTS, 'template'));
          continue;
        }
      }
      if (depth < 4) walk(value, depth + 1);
    }
  };
  const spec = asMap(get(obj.node, 'spec'));
  if (spec) walk(spec, 1);
}

/**
 * Container lists in an object that no extractor attributed to a pod spec (a `containers`,
 * `initContainers`, `sidecars` or `steps` sequence of maps with `image`), for the
 * unrecognised-pod-template note. Walks maps and sequences at most 8 levels deep.
 */
export function unattributedContainerLists(obj: K8sObject, workloads: readonly Workload[]): YPair[] {
  if (NO_PODS.has(obj.kind) || POD_SPEC_PATHS[obj.kind]) return [];
  const known = new Set<YNode>();
  for (const w of workloads) for (const c of w.containers) known.add(c.node);
  const out: YPair[] = [];
  const walk = (node: YNode, depth: number): void => {
    if (depth > 8) return;
    if (node.kind === 'seq') {
      for (const item of node.items) walk(item, depth + 1);
      return;
    }
    if (node.kind !== 'map') return;
    for (const pair of node.pairs) {
      const v = pair.value;
      if (CONTAINER_KEYS.has(pair.keyText) && v.kind === 'seq' && carriesImage(v.items) && !v.items.some((i) => known.has(i))) {
        out.push(pair);
        continue;
      }
      walk(v, depth + 1);
    }
  };
  walk(obj.node, 0);
  return out;
}

const CONTAINER_KEYS = new Set(['containers', 'initContainers', 'sidecars', 'steps', 'ephemeralContainers']);
