/**
 * Which directories are Helm charts and kustomize roots, and what each kustomization includes.
 * Read with the YAML parser only: nothing here runs a tool or fetches anything.
 */
import { existsSync, lstatSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { asItems, asMap, asText, get, getPair, parseYaml } from '../parse/yaml.js';
import type { YNode, YPair } from '../parse/yaml.js';

/** File names that make a directory a kustomize root, in the order kustomize looks for them. */
export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

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
export function isRemoteRef(ref: string): boolean {
  return REMOTE.test(ref.trim());
}

function toRel(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/');
}

function inside(root: string, abs: string): boolean {
  const r = relative(root, abs);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

/** The kustomization file of a directory, if it has one. */
export function kustomizationFile(absDir: string): string | undefined {
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
    return inside(realRoot, real) ? real : undefined;
  } catch {
    return undefined;
  }
}

/** Reads one kustomization file (as written; nothing is resolved beyond its own references). */
export function readKustomization(root: string, dir: string): Kustomization | undefined {
  const absDir = resolve(root, dir);
  const absFile = kustomizationFile(absDir);
  if (!absFile) return undefined;
  const file = toRel(root, absFile);
  const out: Kustomization = { dir, file, roots: [], files: [], patches: [], problems: [] };
  let text: string;
  try {
    text = readFileSync(absFile, 'utf8');
  } catch {
    return out;
  }
  const doc = parseYaml(text).docs[0]?.root ?? undefined;
  const top = asMap(doc);
  if (!top) return out;
  let realRoot = root;
  try {
    realRoot = realpathSync.native(root);
  } catch {
    // keep the path as given
  }
  const problem = (kind: RefProblem['kind'], node: YNode | YPair): void => {
    const n = 'key' in node ? node.key : node;
    const end = 'key' in node ? node.value.end : node.end;
    out.problems.push({ kind, file, offset: n.start, endOffset: end });
  };
  /** Resolves a local reference; returns the absolute path when it may be followed. */
  const local = (node: YNode | undefined): { abs: string; isDir: boolean } | undefined => {
    const ref = asText(node);
    if (!node || ref === undefined || ref.trim() === '') return undefined;
    if (isRemoteRef(ref)) {
      problem('remote', node);
      return undefined;
    }
    const abs = resolve(absDir, ref);
    if (!inside(root, abs) || (existsSync(abs) && !realInside(realRoot, abs))) {
      problem('outside', node);
      return undefined;
    }
    let st;
    try {
      st = statSync(abs);
    } catch {
      problem('missing', node);
      return undefined;
    }
    return { abs, isDir: st.isDirectory() };
  };
  const addRef = (node: YNode | undefined): void => {
    const r = local(node);
    if (!r) return;
    if (r.isDir) out.roots.push(toRel(root, r.abs));
    else out.files.push(toRel(root, r.abs));
  };
  for (const key of ['resources', 'bases', 'components']) for (const item of asItems(get(top, key))) addRef(item);
  for (const key of ['crds', 'configurations', 'openapi', 'generators', 'transformers', 'validators', 'replacements']) {
    for (const item of asItems(get(top, key))) {
      const path = item.kind === 'map' ? get(item, 'path') : item;
      const r = item.kind === 'scalar' || item.kind === 'map' ? local(path) : undefined;
      if (r && !r.isDir) out.files.push(toRel(root, r.abs));
    }
  }
  for (const key of ['configMapGenerator', 'secretGenerator']) {
    for (const gen of asItems(get(top, key))) {
      for (const field of ['files', 'envs']) {
        for (const f of asItems(get(gen, field))) {
          const t = asText(f);
          // `key=path` names the key the file's content is stored under.
          const path = t?.includes('=') ? t.slice(t.indexOf('=') + 1) : t;
          if (path === undefined) continue;
          const r = local({ ...(f as YNode & { kind: 'scalar' }), text: path, value: path });
          if (r && !r.isDir) out.files.push(toRel(root, r.abs));
        }
      }
      const env = get(gen, 'env');
      if (env) {
        const r = local(env);
        if (r && !r.isDir) out.files.push(toRel(root, r.abs));
      }
    }
  }
  const helmCharts = getPair(top, 'helmCharts');
  if (helmCharts && asItems(helmCharts.value).length > 0) problem('helmCharts', helmCharts);
  const targetOf = (node: YNode | undefined): PatchRef['target'] => {
    const t = asMap(node);
    if (!t) return undefined;
    const kind = asText(get(t, 'kind'));
    const name = asText(get(t, 'name'));
    return { ...(kind ? { kind } : {}), ...(name ? { name } : {}) };
  };
  const addPatch = (
    pathNode: YNode | undefined,
    inline: YNode | undefined,
    json6902: boolean | undefined,
    target: YNode | undefined,
  ): void => {
    const t = targetOf(target);
    if (pathNode) {
      const r = local(pathNode);
      if (!r || r.isDir) return;
      const rel = toRel(root, r.abs);
      out.files.push(rel);
      out.patches.push({ kustomization: file, file: rel, json6902: json6902 ?? looksLikeJson6902(r.abs), ...(t ? { target: t } : {}) });
    } else if (inline) {
      const body = asText(inline) ?? '';
      out.patches.push({
        kustomization: file,
        file,
        inline,
        json6902: json6902 ?? /^\s*-\s*op\s*:/m.test(body),
        ...(t ? { target: t } : {}),
      });
    }
  };
  for (const p of asItems(get(top, 'patches'))) addPatch(get(p, 'path'), get(p, 'patch'), undefined, get(p, 'target'));
  for (const p of asItems(get(top, 'patchesStrategicMerge'))) {
    const t = asText(p) ?? '';
    if (/\n/.test(t) || /^\s*apiVersion\s*:/m.test(t)) addPatch(undefined, p, false, undefined);
    else addPatch(p, undefined, false, undefined);
  }
  for (const p of asItems(get(top, 'patchesJson6902'))) addPatch(get(p, 'path'), get(p, 'patch'), true, get(p, 'target'));
  return out;
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
