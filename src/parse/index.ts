/** Turns a collected file into a parsed, classified document set. Parsing happens once per file. */
import type { Dotenv } from './dotenv.js';
import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import { parseYaml } from './yaml.js';
import type { YDoc, YamlProblem } from './yaml.js';
import { dockerfileProblems, parseDockerfile } from './dockerfile.js';
import type { DockerfileModel } from './dockerfile.js';
import { k8sObjects } from './kubernetes.js';
import type { K8sObject } from './kubernetes.js';
import { workloadsOf } from './workloads.js';
import type { Workload } from './workloads.js';
import type { SourceFile } from './source.js';
import { isAciDocument } from './aci.js';

/** A YAML-based file (Kubernetes, compose or ACI) with its documents. */
export interface YamlFile {
  kind: 'kubernetes' | 'compose' | 'aci';
  source: SourceFile;
  docs: YDoc[];
  problems: YamlProblem[];
  /** Kubernetes objects (empty for compose and ACI files). */
  objects: K8sObject[];
  /** Workloads (pod specs) among the objects. */
  workloads: Workload[];
  /** A partial object (a kustomize patch checked without rendering): only the settings it sets are judged. */
  partial?: boolean;
  /** Compose only: the `.env` beside the file (variables for substitution), when there is one. */
  dotenv?: Dotenv;
}

/** A Dockerfile with its stages. */
export interface DockerFile {
  kind: 'dockerfile';
  source: SourceFile;
  model: DockerfileModel;
  problems: YamlProblem[];
}

/** A parsed file of a kind podguard checks. */
export type ParsedFile = YamlFile | DockerFile;

/** Narrows to YAML files. */
export function isYamlFile(file: ParsedFile): file is YamlFile {
  return file.kind !== 'dockerfile';
}

/** Narrows to Dockerfiles. */
export function isDockerFile(file: ParsedFile): file is DockerFile {
  return file.kind === 'dockerfile';
}

/**
 * What a file name alone says about its kind. `named-yaml`: a name that is usually not a
 * manifest (values files, Chart.yaml, CI configurations, workflows): checked only when the file
 * holds a top-level `apiVersion` and `kind`, so naming a privileged Pod `values-x.yaml` does not
 * hide it.
 */
export type NameKind = 'dockerfile' | 'compose' | 'yaml' | 'named-yaml' | 'json' | undefined;

const COMPOSE = /^(docker-)?compose([.-][^/]*)?\.ya?ml$/i;
const SKIP_YAML =
  /^(kustomization|chart|values([.-][^/]*)?|\.pre-commit-config|\.gitlab-ci|azure-pipelines|mkdocs|\.?codecov|dependabot|renovate|\.golangci|\.travis|\.goreleaser|pnpm-lock|pubspec)\.ya?ml$/i;

/** Classifies a path by its name (no I/O). */
export function nameKind(relPath: string): NameKind {
  const base = posix.basename(relPath);
  const lower = base.toLowerCase();
  if (
    lower === 'dockerfile' ||
    lower === 'containerfile' ||
    lower.startsWith('dockerfile.') ||
    lower.startsWith('containerfile.') ||
    lower.endsWith('.dockerfile') ||
    lower.endsWith('.containerfile')
  ) {
    return 'dockerfile';
  }
  if (COMPOSE.test(base)) return 'compose';
  if (/(^|\/)\.github\/(workflows|actions)\//.test(relPath) || /(^|\/)action\.ya?ml$/.test(relPath)) {
    return /\.ya?ml$/i.test(base) ? 'named-yaml' : undefined;
  }
  if (SKIP_YAML.test(base)) return 'named-yaml';
  if (/\.ya?ml$/i.test(base)) return 'yaml';
  if (/\.json$/i.test(base) && !/^(package(-lock)?|tsconfig.*|composer|\.eslintrc|jsconfig|\.babelrc)\.json$/i.test(base)) return 'json';
  return undefined;
}

/** A text with `apiVersion:` and `kind:` at the top level (column 0) of some document. */
function hasTopLevelManifestKeys(text: string): boolean {
  return /^apiVersion[ \t]*:/m.test(text) && /^kind[ \t]*:/m.test(text);
}

/** True when a `{{` sits outside a YAML comment (a `{{` only in a comment is no template). */
export function hasTemplateMarks(text: string): boolean {
  let at = text.indexOf('{{');
  while (at >= 0) {
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    if (!/(^|[ \t])#/.test(text.slice(lineStart, at))) return true;
    at = text.indexOf('{{', at + 2);
  }
  return false;
}

const chartDirs = new Map<string, boolean>();

/**
 * True when `absPath` is a Helm chart template: below a `templates/` directory whose parent
 * holds a Chart.yaml. Such files are not YAML until rendered; they belong to the renderer, and
 * a scan that does not render them counts them (never drops them silently).
 */
export function isChartTemplate(absPath: string): boolean {
  const parts = absPath.split(/[\\/]/);
  for (let i = parts.length - 2; i > 0; i--) {
    if (parts[i] !== 'templates') continue;
    const chartDir = parts.slice(0, i).join('/') || '/';
    let known = chartDirs.get(chartDir);
    if (known === undefined) {
      known = existsSync(`${chartDir}/Chart.yaml`) || existsSync(`${chartDir}/Chart.yml`);
      chartDirs.set(chartDir, known);
    }
    if (known) return true;
  }
  return false;
}

/** A text that looks like a Kubernetes manifest even though it did not parse. */
function looksLikeManifest(text: string): boolean {
  return /^[ \t]*apiVersion[ \t]*:/m.test(text) && /^[ \t]*kind[ \t]*:/m.test(text);
}

/** Parses a file whose name says it may be ours. Returns undefined for files to skip silently. */
export function parseFile(
  source: SourceFile,
  kindByName: Exclude<NameKind, undefined>,
  how: { rendered?: boolean } = {},
): ParsedFile | undefined {
  if (kindByName === 'dockerfile') {
    const model = parseDockerfile(source.text);
    const offset = (p: { line: number; character: number }): number => source.lines.lineStart(p.line + 1) + p.character;
    const problems: YamlProblem[] = dockerfileProblems(model, source.text).map((p) => ({
      kind: 'dockerfile',
      message: p.message,
      offset: offset(p.range.start),
      endOffset: offset(p.range.end),
    }));
    return { kind: 'dockerfile', source, model, problems };
  }
  const text = source.text;
  // A name that is usually no manifest: only a file holding top-level apiVersion and kind is ours.
  if (kindByName === 'named-yaml' && !hasTopLevelManifestKeys(text)) return undefined;
  const parsed = parseYaml(text);
  if (kindByName === 'compose') {
    return { kind: 'compose', source, docs: parsed.docs, problems: parsed.problems, objects: [], workloads: [] };
  }
  // A Helm chart's templates are not YAML until rendered: they belong to the renderer (the
  // engine counts the ones it does not render). A `{{` anywhere else, or only in a comment, hides
  // nothing: the file is checked, and a syntax error in it is a parse error. A rendered stream
  // (helm template, kustomize build, stdin) is YAML already, whatever its text holds.
  if (!how.rendered && hasTemplateMarks(text) && isChartTemplate(source.absPath)) return undefined;
  if (parsed.docs.some(isAciDocument)) {
    return { kind: 'aci', source, docs: parsed.docs, problems: parsed.problems, objects: [], workloads: [] };
  }
  const objects = k8sObjects(parsed.docs).filter((o) => !o.apiVersion.startsWith('kustomize.config.k8s.io'));
  if (objects.length === 0 && !(parsed.problems.length > 0 && looksLikeManifest(text))) return undefined;
  const workloads: Workload[] = [];
  for (const o of objects) {
    for (const w of workloadsOf(o)) workloads.push(w);
  }
  return { kind: 'kubernetes', source, docs: parsed.docs, problems: parsed.problems, objects, workloads };
}
