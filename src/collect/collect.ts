/** Finds the files to scan: walks paths (honouring .gitignore in git repositories) or takes a changed-file list. */
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename, join, posix, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { git, gitTopLevel, splitZ } from './git.js';
import { nameKind } from '../parse/index.js';
import { isRenderRootName } from '../render/discover.js';
import type { NameKind } from '../parse/index.js';
import { ConfigurationError } from '../types.js';
import { isInside } from '../config/safe-read.js';

/** A file that may be scanned. */
export interface Candidate {
  absPath: string;
  /** Relative to the scan root, forward slashes. */
  relPath: string;
  nameKind: Exclude<NameKind, undefined>;
  /** A kustomize patch checked without rendering: judged only on the settings it sets. */
  partial?: boolean;
  /** A rendered manifest stream (Helm, kustomize, standard input), not a file of the repository. */
  rendered?: boolean;
}

/** A file that looked like ours but could not be taken (reported as a finding). */
export interface CollectIssue {
  relPath: string;
  reason: string;
}

/** What was collected. */
export interface Collected {
  candidates: Candidate[];
  issues: CollectIssue[];
  /**
   * Chart.yaml and kustomization files met by the same walk (root-relative, sorted): the render
   * stage's roots. Absent for a changed-files scan, which walks nothing.
   */
  markers?: string[];
}

/** Collection options. */
export interface CollectOptions {
  root: string;
  /** Files or directories (absolute or relative to `root`). */
  paths: readonly string[];
  exclude: readonly string[];
  /** When set, only these files (relative to `root`) are considered: no walk. */
  only?: readonly string[];
}

const SKIP_DIRS = new Set(['.git', 'node_modules']);

function toRel(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/');
}

/**
 * A cheap name test made while listing, so a vendored tree of 100,000 files that are not ours
 * is never sorted, stat'ed or held: the full classification (which also looks at the
 * directories) runs later on what is left.
 */
function mayBeOurs(baseName: string): boolean {
  return nameKind(baseName) !== undefined;
}

/**
 * Lists files under `dir` (synchronous: see lstatQuiet). Links to directories are never followed,
 * so no directory is reached twice and none needs remembering: an entry is a directory only when
 * it is not a link (readdir's own type, or an lstat where the file system reports none; Windows
 * junctions are links too), and directories have no hard links.
 */
function walk(dir: string, out: string[], accept: (baseName: string) => boolean, regular?: Set<string>): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const abs = join(dir, e.name);
    if (e.isDirectory()) {
      if (SKIP_DIRS.has(e.name)) continue;
      walk(abs, out, accept, regular);
    } else if ((e.isFile() || e.isSymbolicLink()) && accept(e.name)) {
      out.push(abs);
      if (e.isFile()) regular?.add(abs);
    }
  }
}

/**
 * The files under `dir` that `accept` takes. `regular` (when given) gains those the walk saw as
 * regular files, so they need no lstat later; git's listing says nothing about types.
 */
async function listDir(dir: string, accept: (baseName: string) => boolean, regular?: Set<string>): Promise<string[]> {
  const top = await gitTopLevel(dir);
  if (top) {
    // git knows .gitignore semantics exactly (nested files, negations, global excludes).
    const out = await git(['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '.'], dir);
    return splitZ(out)
      .filter((p) => accept(posix.basename(p)))
      .map((p) => join(dir, p));
  }
  const files: string[] = [];
  walk(dir, files, accept, regular);
  return files;
}

/**
 * The Chart.yaml and kustomization files under `paths` (root-relative, sorted): the render
 * stage's roots. Listed in full even for a changed-files scan, since a change to a values file
 * or a base renders the chart or overlay around it.
 */
export async function findRenderMarkers(opts: CollectOptions): Promise<string[]> {
  const root = resolve(opts.root);
  const excluded = opts.exclude.length ? picomatch([...opts.exclude], { dot: true }) : () => false;
  const found = new Set<string>();
  if (opts.only && !(await gitTopLevel(root))) {
    // A changed-files scan outside git walks no directory: the charts and kustomizations above
    // each changed file are looked up (an overlay elsewhere that includes a changed base is
    // found only in a git checkout, where listing the tree costs no walk of ours).
    for (const rel of opts.only) {
      for (let dir = join(resolve(root, rel), '..'); isInside(root, dir); dir = join(dir, '..')) {
        for (const name of ['Chart.yaml', 'kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
          const f = join(dir, name);
          const r = toRel(root, f);
          if (lstatQuiet(f)?.isFile() && !excluded(r)) found.add(r);
        }
        if (dir === root) break;
      }
    }
    return [...found].sort();
  }
  for (const scope of opts.paths.map((p) => resolve(root, p))) {
    const st = await stat(scope).catch(() => undefined);
    if (!st) continue;
    if (!st.isDirectory()) {
      // A chart template named on its own renders its chart (the nearest Chart.yaml above it).
      for (let dir = join(scope, '..'); isInside(root, dir); dir = join(dir, '..')) {
        if (lstatQuiet(join(dir, 'Chart.yaml'))?.isFile()) {
          found.add(toRel(root, join(dir, 'Chart.yaml')));
          break;
        }
        if (dir === root) break;
      }
      continue;
    }
    for (const f of await listDir(scope, isRenderRootName)) {
      const rel = toRel(root, f);
      if (!isInside(root, f) || rel.split('/').some((s) => SKIP_DIRS.has(s)) || excluded(rel)) continue;
      found.add(rel);
    }
  }
  return [...found].sort();
}

const lstatQuiet = (p: string): Stats | undefined => lstatSync(p, { throwIfNoEntry: false });
const statQuiet = (p: string): Stats | undefined => {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
};
const realpathQuiet = (p: string): string | undefined => {
  try {
    return realpathSync.native(p);
  } catch {
    return undefined;
  }
};

/**
 * Where a listed file that the walk did not see as a regular file leads: itself, a link's target
 * inside the root, or nothing (gone, not a file, or a link that is dangling or leads outside,
 * which `issues` records). Synchronous: awaiting one thread-pool round trip per file left the
 * main thread idle most of the time on large trees (profiled); these calls answer from the inode
 * cache.
 */
function resolveListed(abs: string, relPath: string, realRoot: string, issues: CollectIssue[]): string | undefined {
  const st = lstatQuiet(abs);
  if (!st) return undefined; // listed by git but deleted in the work tree
  if (!st.isSymbolicLink()) return st.isFile() ? abs : undefined;
  const target = realpathQuiet(abs);
  if (!target) {
    issues.push({ relPath, reason: 'it is a symbolic link whose target does not exist (or a link loop)' });
    return undefined;
  }
  if (!isInside(realRoot, target)) {
    issues.push({ relPath, reason: 'it is a symbolic link to a file outside the scanned root, which podguard never follows' });
    return undefined;
  }
  return statQuiet(target)?.isFile() ? target : undefined;
}

/** Collects candidate files under `paths` (or exactly `only`), classified by name. */
export async function collect(opts: CollectOptions): Promise<Collected> {
  const root = resolve(opts.root);
  const realRoot = await realpath(root).catch(() => root);
  const excluded = opts.exclude.length ? picomatch([...opts.exclude], { dot: true }) : () => false;
  const issues: CollectIssue[] = [];
  const files = new Set<string>();
  const markerFiles = new Set<string>();
  const regular = new Set<string>();
  let onlyDirs = true;
  const scopes = opts.paths.map((p) => resolve(root, p));

  if (opts.only) {
    for (const rel of opts.only) {
      const abs = resolve(root, rel);
      if (scopes.some((s) => isInside(s, abs))) files.add(abs);
    }
  } else {
    for (const scope of scopes) {
      const st = await stat(scope).catch(() => undefined);
      if (!st) throw new ConfigurationError(`path not found: ${toRel(root, scope) || scope}`, { input: 'paths' });
      if (!st.isDirectory()) {
        files.add(scope);
        onlyDirs = false;
        continue;
      }
      // One walk serves both the candidates and the render stage's roots.
      for (const f of await listDir(scope, (n) => mayBeOurs(n) || isRenderRootName(n), regular)) {
        if (isRenderRootName(basename(f))) markerFiles.add(f);
        if (mayBeOurs(basename(f))) files.add(f);
      }
    }
  }

  const candidates: Candidate[] = [];
  const seenReal = new Set<string>();
  for (const abs of [...files].sort()) {
    const relPath = toRel(root, abs);
    if (relPath.split('/').some((s) => SKIP_DIRS.has(s))) continue;
    if (excluded(relPath)) continue;
    const kind = nameKind(relPath);
    if (!kind) continue;
    const real = regular.has(abs) ? abs : resolveListed(abs, relPath, realRoot, issues);
    if (real === undefined) continue;
    if (seenReal.has(real)) continue;
    seenReal.add(real);
    candidates.push({ absPath: real, relPath, nameKind: kind });
  }
  // A file named on its own renders the chart around it: the render stage looks that up itself.
  if (opts.only || !onlyDirs) return { candidates, issues };
  const markers = [...markerFiles]
    .filter((f) => isInside(root, f))
    .map((f) => toRel(root, f))
    .filter((rel) => !rel.split('/').some((s) => SKIP_DIRS.has(s)) && !excluded(rel));
  return { candidates, issues, markers: [...new Set(markers)].sort() };
}
