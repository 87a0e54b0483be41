/**
 * Every image reference in a parsed file, with its position: Dockerfile `FROM`, `COPY --from`
 * and `RUN --mount=...,from=` (when they name an image, not a stage), Kubernetes `image:` of
 * every container kind, docker-compose `services.*.image` and ACI container images.
 */
import { ModifiableInstruction } from 'dockerfile-ast';
import type { At } from '../rule.js';
import type { DockerFile, ParsedFile, YamlFile } from '../parse/index.js';
import { dfRange, substitute } from '../parse/dockerfile.js';
import type { DockerfileModel, Stage } from '../parse/dockerfile.js';
import { aciContainers, composeServices } from '../parse/services.js';
import { asMap, get, getPair } from '../parse/yaml.js';
import type { YMap, YNode } from '../parse/yaml.js';
import { parseReference } from './reference.js';
import { variablesBefore } from './user.js';
import type { ParsedReference } from './reference.js';

/** Where in its file format an image reference stands. */
export type ImageSource = 'from' | 'copy-from' | 'mount-from' | 'kubernetes' | 'compose' | 'aci';

/** One image reference found in a file. */
export interface ImageRef {
  source: ImageSource;
  /** The reference as written. */
  written: string;
  /** The reference after variable substitution (Dockerfile ARG defaults, compose `${VAR:-default}`). */
  text: string;
  /** The first variable that had no value, when the reference could not be resolved. */
  unresolvedVar: string | undefined;
  /** The parsed reference; undefined when `unresolvedVar` is set. */
  ref: ParsedReference | undefined;
  at: At;
  /** Where it stands, for messages: `FROM of stage "build"`, `Deployment/api container "web"`. */
  where: string;
  /** Stable identity for fingerprints. */
  identity: string;
  /** A compose service that builds this image (`build:` beside `image:`): the name is a target, not a pull. */
  built: boolean;
  /**
   * The reference is a template (`<DOCKER_REPO>/app:1.0`, `REGION-docker.pkg.dev/PROJECT_ID/app`):
   * the first placeholder found. `ref` then parses the reference with every placeholder replaced
   * by a lowercase stand-in, so a visible tag (or its absence) can still be judged.
   */
  template?: string;
}

const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|\(([A-Za-z_][A-Za-z0-9_]*)\)|([A-Za-z_][A-Za-z0-9_]*))/;

/** The first `$VAR`, `${VAR...}` or `$(VAR)` left in a text, if any. */
function leftoverVariable(text: string): string | undefined {
  const m = VARIABLE.exec(text);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

function make(source: ImageSource, written: string, text: string, at: At, where: string, identity: string): ImageRef {
  const unresolvedVar = leftoverVariable(text);
  if (unresolvedVar) return { source, written, text, unresolvedVar, ref: undefined, at, where, identity, built: false };
  const template = templatePlaceholder(text);
  if (template) {
    const ref = parseReference(fillPlaceholders(text));
    return { source, written, text, unresolvedVar, ref, at, where, identity, built: false, template };
  }
  return { source, written, text, unresolvedVar, ref: parseReference(text), at, where, identity, built: false };
}

// `<DOCKER_REPO>`, `{{registry}}`, `[REGISTRY]`, `__IMAGE__`, `#{Tag}#`: the placeholder syntaxes of
// docs, templating tools and release pipelines.
const BRACKETED = /<[^<>\s]{1,64}>|\{\{[^{}]{0,128}\}\}|\[[A-Za-z][A-Za-z0-9_-]{0,63}\]|#\{[^{}]{1,64}\}#?|__[A-Za-z][A-Za-z0-9_]{0,62}__/g;
// An upper-case word standing where a registry, project or version goes (`PROJECT_ID`, `REGION-`).
const SHOUTED =
  /(?<![A-Za-z0-9])(?:[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]|REGION|PROJECT|ACCOUNT|REGISTRY|REPOSITORY|REPO|ORG|OWNER|NAMESPACE|IMAGE|VERSION|TAG|TENANT|SUBSCRIPTION|ENV)(?![A-Za-z0-9])/g;

/** The first placeholder of a templated image reference, if the reference is one. */
export function templatePlaceholder(text: string): string | undefined {
  BRACKETED.lastIndex = 0;
  const b = BRACKETED.exec(text);
  if (b) return b[0];
  SHOUTED.lastIndex = 0;
  const s = SHOUTED.exec(text);
  return s ? s[0] : undefined;
}

/** What a template's placeholders are replaced with before parsing. */
export const TEMPLATE_STAND_IN = 'placeholder';

/** The reference with each placeholder replaced by a lowercase stand-in. */
function fillPlaceholders(text: string): string {
  return text.replace(BRACKETED, TEMPLATE_STAND_IN).replace(SHOUTED, TEMPLATE_STAND_IN);
}

function stageLabel(stage: Stage): string {
  return stage.alias ? `stage "${stage.alias}"` : `stage ${stage.index}`;
}

/** True when a `--from` value names a build stage (alias anywhere in the file, or an index). */
function isStage(model: DockerfileModel, value: string): boolean {
  if (/^\d+$/.test(value)) return true;
  const lower = value.toLowerCase();
  return model.stages.some((s) => s.alias === lower);
}

function dockerfileRefs(file: DockerFile, out: ImageRef[]): void {
  const model = file.model;
  for (const stage of model.stages) {
    const arg = stage.from.getArguments()[0];
    const label = stageLabel(stage);
    if (arg && stage.image.toLowerCase() !== 'scratch' && !stage.parent) {
      out.push(make('from', stage.rawImage, stage.image, dfRange(arg.getRange()), `FROM of ${label}`, `${label} FROM`));
    }
    for (const ins of stage.instructions) {
      const keyword = ins.getKeyword();
      if (keyword !== 'COPY' && keyword !== 'RUN') continue;
      const flags = ins instanceof ModifiableInstruction ? ins.getFlags() : [];
      for (const flag of flags) {
        const name = flag.getName().toLowerCase();
        if (name === 'from' && keyword === 'COPY') {
          const value = flag.getValue();
          const range = flag.getValueRange();
          if (!value || !range) continue;
          const { value: text } = substitute(value, variablesBefore(model, stage, ins));
          if (isStage(model, text)) continue;
          out.push(make('copy-from', value, text, dfRange(range), `COPY --from in ${label}`, `${label} COPY --from`));
        } else if (name === 'mount' && keyword === 'RUN') {
          const from = flag.getOption('from');
          const value = from?.getValue();
          const range = from?.getValueRange();
          if (!value || !range) continue;
          const { value: text } = substitute(value, variablesBefore(model, stage, ins));
          if (isStage(model, text)) continue;
          out.push(make('mount-from', value, text, dfRange(range), `RUN --mount from in ${label}`, `${label} RUN --mount`));
        }
      }
    }
  }
}

function yamlText(node: YNode): string | undefined {
  return node.kind === 'scalar' && node.value !== null ? node.text : undefined;
}

function yamlRef(
  out: ImageRef[],
  source: ImageSource,
  parent: YMap | undefined,
  where: string,
  substituteDefaults: boolean,
  vars: ReadonlyMap<string, string> = new Map(),
): void {
  const pair = getPair(parent, 'image');
  if (!pair) return;
  const built = source === 'compose' && getPair(parent, 'build') !== undefined;
  const node = pair.value;
  const written = yamlText(node);
  if (written === undefined) {
    const reason = node.kind === 'scalar' ? 'it is empty' : `it is a ${node.kind === 'map' ? 'mapping' : 'list'}, not a string`;
    // An empty value has no extent of its own: point at the whole `image:` pair.
    out.push({
      source,
      written: '',
      text: '',
      unresolvedVar: undefined,
      ref: { ok: false, original: '', reason },
      at: pair,
      where,
      identity: where,
      built,
    });
    return;
  }
  // Compose interpolates `${VAR:-default}` from the environment and the project's .env; the
  // defaults and the committed .env are what a checkout builds.
  const text = substituteDefaults ? substitute(written, vars).value : written;
  out.push({ ...make(source, written, text, node, where, where), built });
}

function yamlRefs(file: YamlFile, out: ImageRef[]): void {
  if (file.kind === 'kubernetes') {
    for (const w of file.workloads) for (const c of w.containers) yamlRef(out, 'kubernetes', c.node, c.label, false);
  } else if (file.kind === 'compose') {
    for (const s of composeServices(file)) yamlRef(out, 'compose', s.node, s.label, true, file.dotenv?.vars);
  } else {
    for (const c of aciContainers(file)) yamlRef(out, 'aci', asMap(get(c.node, 'properties')), c.label, false);
  }
}

/** Appends the file's references to `out` in file order (the ones ahead of a failure stay). */
function refsOf(file: ParsedFile, out: ImageRef[]): void {
  if (file.kind === 'dockerfile') dockerfileRefs(file, out);
  else yamlRefs(file, out);
}

// Six image rules read the same references: found once per checked unit (a document view or a
// Dockerfile), the entries go with the units once the file is done. Plain arrays, not generators:
// six rules iterate them in every file.
const memo = new WeakMap<ParsedFile, readonly ImageRef[]>();

/** Every image reference of a file, in file order per format. */
export function forEachImageRef(file: ParsedFile): Iterable<ImageRef> {
  const known = memo.get(file);
  if (known !== undefined) return known;
  const refs: ImageRef[] = [];
  try {
    refsOf(file, refs);
  } catch (error) {
    // A reference that breaks the reader: each rule meets it where it did before, after the
    // references ahead of it (and reports its own internal error). Not remembered, so each rule
    // meets it.
    return refsThenThrow(refs, error);
  }
  memo.set(file, refs);
  return refs;
}

function* refsThenThrow(refs: readonly ImageRef[], error: unknown): Generator<ImageRef> {
  yield* refs;
  throw error;
}
