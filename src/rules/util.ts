/** Small helpers shared by rules (shape helpers, not a framework). */
import type { ParsedFile, YamlFile, DockerFile } from '../parse/index.js';
import type { Container, Workload } from '../parse/workloads.js';

/** Calls `fn` for every container (init, regular, ephemeral) of every workload in the file. */
export function forEachContainer(file: ParsedFile, fn: (c: Container, w: Workload) => void): void {
  if (file.kind !== 'kubernetes') return;
  for (const w of file.workloads) for (const c of w.containers) fn(c, w);
}

/** Calls `fn` for every workload (pod spec) in the file. */
export function forEachWorkload(file: ParsedFile, fn: (w: Workload) => void): void {
  if (file.kind !== 'kubernetes') return;
  for (const w of file.workloads) fn(w);
}

/** Narrows to YAML files. */
export function isYamlFile(file: ParsedFile): file is YamlFile {
  return file.kind !== 'dockerfile';
}

/** Narrows to Dockerfiles. */
export function isDockerFile(file: ParsedFile): file is DockerFile {
  return file.kind === 'dockerfile';
}
