/**
 * Which directories are Helm charts and kustomize roots, and what each kustomization includes.
 * Read with the YAML parser only: nothing here runs a tool or fetches anything.
 */
import { existsSync, lstatSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, posix, relative, resolve, sep } from 'node:path';
import { isInside } from '../config/safe-read.js';
import { asItems, asMap, asText, get, getPair, parseYaml } from '../parse/yaml.js';
import type { YMap, YNode, YPair } from '../parse/yaml.js';

/** File names that make a directory a kustomize root, in the order kustomize looks for them. */
const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/** True for a file name that marks a chart (`Chart.yaml`) or a kustomize root. */
export function isRenderRootName(baseName: string): boolean {
  return baseName === 'Chart.yaml' || (KUSTOMIZATION_NAMES as readonly string[]).includes(baseName);
}

/**
 * True when `relPath` is a raw Helm template (or a vendored subchart's file) of one of
 * `chartDirs`: such a file is not YAML until helm renders it, so it is never parsed as a manifest.
 */
export function isChartTemplate(relPath: string, chartDirs: readonly string[]): boolean {
  return chartDirs.some((dir) => {
    const prefix = dir === '' ? '' : `${dir}/`;
    if (!relPath.startsWith(prefix)) return false;
    const rest = relPath.slice(prefix.length);
    return rest.startsWith('templates/') || rest.startsWith('charts/');
  });
}

/** A reference a kustomization makes that podguard will not follow. */
export interface RefProblem {
  kind: 'remote' | 'outside' | 'missing' | 'helmCharts';
  /** The kustomization file (root-relative) and the offset of the reference in it. */
  file: string;
  offset: number;
  endOffset: number;
}

/** A patch a kustomization applies. */
export interface PatchRef {
  /** The kustomization that lists it (root-relative). */
  kustomization: string;
  /** The patch file (root-relative), or the kustomization itself for an inline patch. */
  file: string;
  /** For an inline patch: the node of its text in the kustomization. */
  inline?: YNode;
  /** JSON 6902 (a list of operations) rather than a strategic merge patch. */
  json6902: boolean;
  /** `target` selector, when given. */
  target?: { kind?: string; name?: string };
}

/** One kustomize root as written. */
export interface Kustomization {
  /** Directory (root-relative, '' for the root). */
  dir: string;
  /** The kustomization file (root-relative). */
  file: string;
  /** Directories of the kustomize roots it includes (resources, bases, components). */
  roots: string[];
  /** Every local file it names (resources, patches, generator inputs), root-relative. */
  files: string[];
  patches: PatchRef[];
  problems: RefProblem[];
}

const REMOTE =
  /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|git::|gh:|github\.com\/|gitlab\.com\/|bitbucket\.org\/|oci:\/\/)|\?ref=|\/\/.*\?|^[^/]+\.[a-z]{2,}\/[^/]+\/[^/]+/i;

/** True for a kustomize reference to a remote repository or URL (never fetched). */
function isRemoteRef(ref: string): boolean {
  return REMOTE.test(ref.trim());
}

/** `abs` relative to `root`, with `/` separators. */
export function toRel(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/');
}

/** The real path of the repository root (as given when it cannot be resolved). */
export function realRootOf(root: string): string {
  try {
    return realpathSync.native(root);
  } catch {
    return root;
  }
}

/** The kustomization file of a directory, if it has one. */
function kustomizationFile(absDir: string): string | undefined {
  for (const name of KUSTOMIZATION_NAMES) {
    const p = join(absDir, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** The real path, when it stays inside `realRoot` (symbolic links out of the repository are not followed). */
function realInside(realRoot: string, abs: string): string | undefined {
  try {
    const real = realpathSync.native(abs);
    return isInside(realRoot, real) ? real : undefined;
  } catch {
    return undefined;
  }
}

/** Reads one kustomization file (as written; nothing is resolved beyond its own references). */
function readKustomization(root: string, dir: string): Kustomization | undefined {
  const absDir = resolve(root, dir);
  const absFile = kustomizationFile(absDir);
  if (!absFile) return undefined;
  const out: Kustomization = { dir, file: toRel(root, absFile), roots: [], files: [], patches: [], problems: [] };
  let text: string;
  try {
    text = readFileSync(absFile, 'utf8');
  } catch {
    return out;
  }
  const top = asMap(parseYaml(text).docs[0]?.root ?? undefined);
  if (!top) return out;
  const refs = new References(root, absDir, out);
  refs.resources(top);
  refs.fileLists(top);
  refs.generators(top);
  const helmCharts = getPair(top, 'helmCharts');
  if (helmCharts && asItems(helmCharts.value).length > 0) refs.problem('helmCharts', helmCharts);
  refs.patches(top);
  return out;
}

/** Keys listing kustomize roots or manifest files. */
const RESOURCE_KEYS = ['resources', 'bases', 'components'];
/** Keys listing files (or `path:` entries) kustomize reads: CRDs, schemas, plugin configurations. */
const FILE_KEYS = ['crds', 'configurations', 'openapi', 'generators', 'transformers', 'validators', 'replacements'];

/**
 * The references of one kustomization, recorded into it: local ones inside the repository are
 * followed, the rest (remote, outside, missing) recorded as problems at the reference.
 */
class References {
  private readonly realRoot: string;
  private readonly file: string;

  constructor(
    private readonly root: string,
    private readonly absDir: string,
    private readonly out: Kustomization,
  ) {
    this.realRoot = realRootOf(root);
    this.file = out.file;
  }

  problem(kind: RefProblem['kind'], node: YNode | YPair): void {
    const n = 'key' in node ? node.key : node;
    const end = 'key' in node ? node.value.end : node.end;
    this.out.problems.push({ kind, file: this.file, offset: n.start, endOffset: end });
  }

  /** Resolves a local reference; returns the absolute path when it may be followed. */
  private local(node: YNode | undefined): { abs: string; isDir: boolean } | undefined {
    const ref = asText(node);
    if (!node || ref === undefined || ref.trim() === '') return undefined;
    if (isRemoteRef(ref)) {
      this.problem('remote', node);
      return undefined;
    }
    const abs = resolve(this.absDir, ref);
    if (!isInside(this.root, abs) || (existsSync(abs) && !realInside(this.realRoot, abs))) {
      this.problem('outside', node);
      return undefined;
    }
    let st;
    try {
      st = statSync(abs);
    } catch {
      this.problem('missing', node);
      return undefined;
    }
    return { abs, isDir: st.isDirectory() };
  }

  /** Records a referenced file (a directory there is not followed). */
  private addFile(node: YNode | undefined): void {
    const r = this.local(node);
    if (r && !r.isDir) this.out.files.push(toRel(this.root, r.abs));
  }

  /** `resources`, `bases`, `components`: nested kustomize roots (directories) or manifest files. */
  resources(top: YMap): void {
    for (const key of RESOURCE_KEYS) {
      for (const item of asItems(get(top, key))) {
        const r = this.local(item);
        if (r) (r.isDir ? this.out.roots : this.out.files).push(toRel(this.root, r.abs));
      }
    }
  }

  /** The files FILE_KEYS name, as a string or a mapping's `path`. */
  fileLists(top: YMap): void {
    for (const key of FILE_KEYS) {
      for (const item of asItems(get(top, key))) {
        if (item.kind === 'scalar') this.addFile(item);
        else if (item.kind === 'map') this.addFile(get(item, 'path'));
      }
    }
  }

  /** The input files of `configMapGenerator` and `secretGenerator` entries (`files`, `envs`, `env`). */
  generators(top: YMap): void {
    for (const key of ['configMapGenerator', 'secretGenerator']) {
      for (const gen of asItems(get(top, key))) {
        for (const field of ['files', 'envs']) {
          for (const f of asItems(get(gen, field))) {
            const t = asText(f);
            // `key=path` names the key the file's content is stored under.
            const path = t?.includes('=') ? t.slice(t.indexOf('=') + 1) : t;
            if (path !== undefined) this.addFile({ ...(f as YNode & { kind: 'scalar' }), text: path, value: path });
          }
        }
        this.addFile(get(gen, 'env'));
      }
    }
  }

  /** `patches`, `patchesStrategicMerge` and `patchesJson6902`: patch files and inline patches. */
  patches(top: YMap): void {
    for (const p of asItems(get(top, 'patches'))) this.addPatch(get(p, 'path'), get(p, 'patch'), undefined, get(p, 'target'));
    for (const p of asItems(get(top, 'patchesStrategicMerge'))) {
      const t = asText(p) ?? '';
      if (/\n/.test(t) || /^\s*apiVersion\s*:/m.test(t)) this.addPatch(undefined, p, false, undefined);
      else this.addPatch(p, undefined, false, undefined);
    }
    for (const p of asItems(get(top, 'patchesJson6902'))) this.addPatch(get(p, 'path'), get(p, 'patch'), true, get(p, 'target'));
  }

  /** One patch, from its file (`pathNode`) or its inline text; `json6902` undefined: told by its content. */
  private addPatch(pathNode: YNode | undefined, inline: YNode | undefined, json6902: boolean | undefined, target: YNode | undefined): void {
    const t = targetOf(target);
    const kustomization = this.file;
    if (pathNode) {
      const r = this.local(pathNode);
      if (!r || r.isDir) return;
      const rel = toRel(this.root, r.abs);
      this.out.files.push(rel);
      this.out.patches.push({ kustomization, file: rel, json6902: json6902 ?? looksLikeJson6902(r.abs), ...(t ? { target: t } : {}) });
    } else if (inline) {
      const body = asText(inline) ?? '';
      this.out.patches.push({
        kustomization,
        file: kustomization,
        inline,
        json6902: json6902 ?? /^\s*-\s*op\s*:/m.test(body),
        ...(t ? { target: t } : {}),
      });
    }
  }
}

/** A patch's `target` selector (kind and name only). */
function targetOf(node: YNode | undefined): PatchRef['target'] {
  const t = asMap(node);
  if (!t) return undefined;
  const kind = asText(get(t, 'kind'));
  const name = asText(get(t, 'name'));
  return { ...(kind ? { kind } : {}), ...(name ? { name } : {}) };
}

function looksLikeJson6902(abs: string): boolean {
  try {
    const text = readFileSync(abs, 'utf8');
    return /^\s*(-\s*)?\{?\s*"?op"?\s*:/m.test(text) && !/^\s*apiVersion\s*:/m.test(text);
  } catch {
    return false;
  }
}

/** Charts and kustomize roots found under a scan's paths. */
export interface RenderRoots {
  /** Chart directories (root-relative), outermost only: a vendored subchart renders with its parent. */
  charts: string[];
  /** Every chart directory, subcharts included (their templates are not plain manifests either). */
  allCharts: string[];
  /** Every kustomization read, by directory. */
  kustomizations: Map<string, Kustomization>;
  /** Kustomize roots that no other root found includes: the ones rendered. */
  topRoots: string[];
}

/** Builds the render roots from the marker files found (root-relative paths of Chart.yaml / kustomization files). */
export function renderRoots(root: string, markers: readonly string[]): RenderRoots {
  const chartDirs = new Set<string>();
  const kustomizeDirs = new Set<string>();
  for (const m of markers) {
    const dir = posix.dirname(m) === '.' ? '' : posix.dirname(m);
    if (posix.basename(m) === 'Chart.yaml') chartDirs.add(dir);
    else kustomizeDirs.add(dir);
  }
  const allCharts = [...chartDirs].sort();
  const charts = allCharts.filter((d) => !allCharts.some((p) => p !== d && isChartTemplate(`${d}/Chart.yaml`, [p])));
  const kustomizations = new Map<string, Kustomization>();
  const pending = [...kustomizeDirs].filter((d) => !isChartTemplate(`${d}/x`, allCharts));
  // Follow includes so that bases outside the scanned paths are known too (bounded by the repository).
  while (pending.length) {
    const dir = pending.pop()!;
    if (kustomizations.has(dir)) continue;
    const k = readKustomization(root, dir);
    if (!k) continue;
    kustomizations.set(dir, k);
    for (const r of k.roots) if (!kustomizations.has(r)) pending.push(r);
  }
  const included = new Set<string>();
  for (const k of kustomizations.values()) for (const r of k.roots) included.add(r);
  const topRoots = [...kustomizeDirs].filter((d) => kustomizations.has(d) && !included.has(d)).sort();
  return { charts, allCharts, kustomizations, topRoots };
}

/** Every file a kustomize root includes, itself and its nested roots' files included (root-relative). */
export function includedFiles(roots: RenderRoots, dir: string): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>();
  const visit = (d: string): void => {
    if (seen.has(d)) return;
    seen.add(d);
    const k = roots.kustomizations.get(d);
    if (!k) return;
    out.add(k.file);
    for (const f of k.files) out.add(f);
    for (const r of k.roots) visit(r);
  };
  visit(dir);
  return out;
}

/** Every kustomization reachable from a root (itself first). */
export function reachable(roots: RenderRoots, dir: string): Kustomization[] {
  const out: Kustomization[] = [];
  const seen = new Set<string>();
  const visit = (d: string): void => {
    if (seen.has(d)) return;
    seen.add(d);
    const k = roots.kustomizations.get(d);
    if (!k) return;
    out.push(k);
    for (const r of k.roots) visit(r);
  };
  visit(dir);
  return out;
}

/**
 * Symbolic links under a chart that lead outside the repository: helm follows links, and
 * `.Files.Get` would read what they point at. Bounded: stops at the first one found.
 */
export function linkOutside(realRoot: string, absDir: string, limit = 20_000): string | undefined {
  const stack = [absDir];
  let n = 0;
  while (stack.length && n < limit) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      n++;
      const abs = join(dir, e.name);
      if (e.isSymbolicLink()) {
        if (!realInside(realRoot, abs)) return abs;
        try {
          if (lstatSync(abs).isDirectory()) stack.push(abs);
        } catch {
          // a dangling link: helm reports it
        }
      } else if (e.isDirectory()) stack.push(abs);
    }
  }
  return undefined;
}
