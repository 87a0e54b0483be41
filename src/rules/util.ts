/** Small helpers shared by rules (shape helpers, not a framework). */
import type { ParsedFile } from '../parse/index.js';
import type { Container, Workload } from '../parse/workloads.js';
import { namedFile, rangeOf } from '../parse/source.js';
import { modelContainers } from '../parse/containers.js';
import type { ModelContainer } from '../parse/containers.js';
import type { SourceFile } from '../parse/source.js';
import type { Range } from '../types.js';
import { asBool, asItems, asText, get, getPair } from '../parse/yaml.js';
import type { YNode, YPair } from '../parse/yaml.js';

/** Calls `fn` for every container (init, regular, ephemeral) of every workload in the file. */
export function forEachContainer(file: ParsedFile, fn: (c: Container, w: Workload) => void): void {
  if (file.kind !== 'kubernetes') return;
  for (const w of file.workloads) for (const c of w.containers) fn(c, w);
}

/**
 * Calls `fn` for every container of a compose or ACI file (the format-neutral model). With
 * `forEachContainer` this covers every container a file holds, in every format.
 */
export function forEachModelContainer(file: ParsedFile, fn: (c: ModelContainer) => void): void {
  if (file.kind !== 'compose' && file.kind !== 'aci') return;
  for (const c of modelContainers(file)) fn(c);
}

/**
 * A filter that passes each node once: a setting that compose services share through `extends:`
 * or a merged `x-` fragment stands on one line, and is one finding there.
 */
export function firstTime(): (at: YNode | YPair) => boolean {
  const seen = new Set<YNode | YPair>();
  return (at) => {
    if (seen.has(at)) return false;
    seen.add(at);
    return true;
  };
}

/** Calls `fn` for every workload (pod spec) in the file. */
export function forEachWorkload(file: ParsedFile, fn: (w: Workload) => void): void {
  if (file.kind !== 'kubernetes') return;
  for (const w of file.workloads) fn(w);
}

/** The minor of the target Kubernetes version (`1.34` -> 34); the Pod Security checks change with it. */
export function kubernetesMinor(settings: { kubernetesVersion: string }): number {
  // Rules ask for every document; the setting is the same for the whole scan.
  const version = settings.kubernetesVersion;
  if (version !== lastVersion.text) {
    const m = /^1\.(\d+)$/.exec(version.trim());
    lastVersion = { text: version, minor: m ? Number(m[1]) : Number.MAX_SAFE_INTEGER };
  }
  return lastVersion.minor;
}
let lastVersion = { text: '', minor: Number.MAX_SAFE_INTEGER };

/** True for a pod that runs in a user namespace (`hostUsers: false`): root in it is not root on the node. */
export function inUserNamespace(w: Workload): boolean {
  return asBool(get(w.podSpec, 'hostUsers')) === false;
}

/** The narrowing predicates live with the parsed files; rules import them from here. */
export { isDockerFile, isYamlFile } from '../parse/index.js';

/** Linux capability name as the kernel knows it: upper case, without a `CAP_` prefix. */
export function normalizeCapability(name: string): string {
  const up = name.trim().toUpperCase();
  return up.startsWith('CAP_') ? up.slice(4) : up;
}

/** One item of `capabilities.add` or `capabilities.drop`, with its normalised name. */
export interface CapabilityItem {
  node: YNode;
  name: string;
}

/** The items of a container's `capabilities.add` or `.drop` (flow or block sequence). */
export function capabilityItems(c: Container, list: 'add' | 'drop'): CapabilityItem[] {
  const out: CapabilityItem[] = [];
  for (const node of asItems(get(get(c.securityContext, 'capabilities'), list))) {
    const text = asText(node);
    if (text !== undefined && text.trim() !== '') out.push({ node, name: normalizeCapability(text) });
  }
  return out;
}

/**
 * True for a pod declared as Windows (`spec.os.name: windows`). The Pod Security Standards
 * exempt such pods from the Linux-only controls (seccomp, capabilities, privilege escalation).
 */
export function isWindowsPod(w: Workload): boolean {
  return asText(get(get(w.podSpec, 'os'), 'name'))?.toLowerCase() === 'windows';
}

/**
 * A sentence to append when a container-only field was set in the pod-level securityContext
 * instead, so the user learns why the setting they wrote did not count.
 */
export function podLevelHint(c: Container, field: string): string {
  return getPair(c.workload.podSecurityContext, field)
    ? ` (the ${field} in the pod-level securityContext has no effect: it only works per container)`
    : '';
}

/**
 * A place remembered by a cross-file rule until `finish`: the file's path (not its text) and the
 * range as four numbers in the object itself. A large scan keeps tens of thousands of them (one
 * per pod for service-account-token-automount); as a file and a range they took four objects each.
 */
export interface Spot {
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Remembers a place cheaply (see `Spot`). */
export function spot(file: SourceFile, at: Range | YNode | YPair): Spot {
  const { start, end } = rangeOf(file, at);
  return { path: file.path, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

/** The file and range of a remembered place, for `finish` to report at. */
export function place(s: Spot): { file: SourceFile; at: Range } {
  return { file: namedFile(s.path), at: { start: { line: s.line, column: s.column }, end: { line: s.endLine, column: s.endColumn } } };
}
