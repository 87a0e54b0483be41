/**
 * Files and lines a change (pull request, push) touched, computed with git in a CI checkout.
 * Platform-neutral: the GitHub Action and the Azure Pipelines task both call `gitChanges`.
 *
 * CI checkouts are shallow (GitHub: the PR's merge commit at depth 1; Azure: often depth 1 too),
 * so the commits to compare against may be missing. We fetch what is needed: the merge commit's
 * parents (`--depth=2`), or deeper history of the base and head in growing steps until
 * `git merge-base` works, as dorny/paths-filter does. Every git call takes an argument array.
 */
import { resolve } from 'node:path';
import { git, gitTopLevel, parseNameStatus } from './git.js';

/** A 1-based inclusive span of lines in the new version of a file. */
export interface LineSpan {
  start: number;
  end: number;
}

/** A file the change added, modified, renamed or copied (deletions are never listed). */
export interface ChangedPath {
  /** Relative to the git top level, forward slashes. */
  path: string;
  /** Absolute path in the work tree. */
  absPath: string;
  /** A added, M modified, R renamed, C copied, T type changed. */
  status: string;
  /** Lines added or changed in the new version (empty for a pure rename or a binary file). */
  lines: LineSpan[];
}

/** What changed and how it was worked out. */
export interface ChangeSet {
  /** The git top level of the work tree. */
  top: string;
  /** The commit compared against (merge base, or the merge commit's first parent). */
  base: string;
  /** The commit compared (normally HEAD, what the work tree holds). */
  head: string;
  /** How `base` was found. */
  via: 'merge-commit' | 'merge-base';
  files: ChangedPath[];
}

/** Where the change comes from. */
export interface ChangeRequest {
  /** Any directory in the work tree. */
  cwd: string;
  /** Base commit SHA (e.g. `pull_request.base.sha`, or a push event's `before`). */
  baseSha?: string;
  /** Base branch name (e.g. `main`), used when the SHA is absent or cannot be fetched. */
  baseRef?: string;
  /** The commit to compare; default `HEAD`. */
  head?: string;
  /**
   * The pull request's own head SHA: when `head` is a merge commit whose second parent is this
   * commit, the merge commit's first parent is the base, whatever `baseSha` says.
   */
  prHeadSha?: string;
  /** Remote to fetch from; default `origin`. */
  remote?: string;
  /** Gives up deepening after this many commits per side; default 2000. */
  maxDepth?: number;
  /** Progress lines (what was fetched and why). */
  log?: (message: string) => void;
  /** Per network call; default 120 s. */
  fetchTimeoutMs?: number;
}

/** Thrown when the change cannot be computed with git; the message says why. */
export class ChangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChangeError';
  }
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/i;

/** Accepts a branch name only if git would (and it cannot be read as an option). */
async function checkBranch(name: string, cwd: string): Promise<void> {
  const bare = name.replace(/^refs\/heads\//, '');
  if (bare.startsWith('-') || bare.length === 0) throw new ChangeError(`invalid base branch name: ${JSON.stringify(name)}`);
  await git(['check-ref-format', '--branch', bare], cwd).catch(() => {
    throw new ChangeError(`invalid base branch name: ${JSON.stringify(name)}`);
  });
}

async function hasCommit(rev: string, cwd: string): Promise<boolean> {
  return git(['cat-file', '-e', `${rev}^{commit}`], cwd).then(
    () => true,
    () => false,
  );
}

async function revParse(rev: string, cwd: string): Promise<string | undefined> {
  return git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], cwd).then(
    (out) => out.trim() || undefined,
    () => undefined,
  );
}

/** Parents recorded in the commit object itself (a shallow clone hides them from rev-list). */
async function parentsOf(sha: string, cwd: string): Promise<string[]> {
  const body = await git(['cat-file', 'commit', sha], cwd);
  const parents: string[] = [];
  for (const line of body.split('\n')) {
    if (line === '') break;
    if (line.startsWith('parent ')) parents.push(line.slice(7).trim());
  }
  return parents;
}

async function isShallow(cwd: string): Promise<boolean> {
  return (await git(['rev-parse', '--is-shallow-repository'], cwd)).trim() === 'true';
}

async function mergeBase(a: string, b: string, cwd: string): Promise<string | undefined> {
  return git(['merge-base', a, b], cwd).then(
    (out) => out.trim().split('\n')[0] || undefined,
    () => undefined,
  );
}

/** Decodes a path git printed C-quoted ("a/caf\303\251 \"x\""); other paths pass through. */
export function unquotePath(text: string): string {
  if (!text.startsWith('"') || !text.endsWith('"') || text.length < 2) return text;
  const bytes: number[] = [];
  const simple: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  const body = text.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(simple[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Parses `git diff -U0` output into added/changed line spans per new path. Expects the
 * `a/`/`b/` prefixes that `gitChanges` forces; deleted files (`+++ /dev/null`) are skipped.
 */
export function parseUnifiedZero(out: string): Map<string, LineSpan[]> {
  const spans = new Map<string, LineSpan[]>();
  let current: LineSpan[] | undefined;
  for (const line of out.split('\n')) {
    if (line.startsWith('diff --git ')) {
      current = undefined;
    } else if (line.startsWith('+++ ')) {
      const raw = line.slice(4).replace(/\t$/, '');
      if (raw === '/dev/null') {
        current = undefined;
        continue;
      }
      const path = unquotePath(raw).replace(/^b\//, '');
      current = spans.get(path) ?? [];
      spans.set(path, current);
    } else if (current && line.startsWith('@@ ')) {
      const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!m) continue;
      const start = Number(m[1]);
      const count = m[2] === undefined ? 1 : Number(m[2]);
      if (count > 0) current.push({ start, end: start + count - 1 });
    }
  }
  return spans;
}

/** True when `line` falls in one of `spans`. */
export function inSpans(spans: readonly LineSpan[] | undefined, line: number): boolean {
  return !!spans && spans.some((s) => line >= s.start && line <= s.end);
}

/** Finds the base to compare against, fetching missing history as needed. */
async function findBase(req: ChangeRequest, top: string, head: string): Promise<{ base: string; via: ChangeSet['via'] }> {
  const remote = req.remote ?? 'origin';
  const log = req.log ?? ((): void => undefined);
  const timeoutMs = req.fetchTimeoutMs ?? 120_000;
  const fetch = async (args: string[], why: string): Promise<boolean> => {
    log(`git fetch ${args.join(' ')} (${why})`);
    return git(['fetch', '--no-tags', '--no-recurse-submodules', '--quiet', ...args], top, undefined, { timeoutMs }).then(
      () => true,
      (err: Error) => {
        log(`  failed: ${err.message}`);
        return false;
      },
    );
  };
  if (remote.startsWith('-')) throw new ChangeError(`invalid remote name: ${JSON.stringify(remote)}`);
  const baseSha = req.baseSha && SHA.test(req.baseSha) && !/^0+$/.test(req.baseSha) ? req.baseSha.toLowerCase() : undefined;
  if (req.baseSha && !baseSha && !/^0+$/.test(req.baseSha))
    throw new ChangeError(`invalid base commit SHA: ${JSON.stringify(req.baseSha)}`);
  if (req.baseRef) await checkBranch(req.baseRef, top);
  const branch = req.baseRef?.replace(/^refs\/heads\//, '');

  // The default pull request checkout: a merge commit of the PR head into the base. Its first
  // parent is the base the PR is compared with on GitHub; one more level of history suffices.
  const parents = await parentsOf(head, top);
  if (parents.length === 2) {
    const [p1, p2] = parents as [string, string];
    const ours = (!baseSha && !branch) || p1 === baseSha || (req.prHeadSha !== undefined && p2 === req.prHeadSha.toLowerCase());
    if (ours) {
      if (!(await hasCommit(p1, top))) await fetch(['--depth=2', remote, head], 'the merge commit’s parents');
      if (await hasCommit(p1, top)) return { base: p1, via: 'merge-commit' };
    }
  }

  if (!baseSha && !branch) throw new ChangeError('no base commit or branch was given to compare with');

  // Resolve the base: the SHA when we have or can fetch it, else the branch's remote tip.
  const trackingRef = branch ? `refs/remotes/${remote}/${branch}` : undefined;
  const branchSpec = branch ? `+refs/heads/${branch}:${trackingRef}` : undefined;
  let base: string | undefined;
  let baseSpec: string | undefined;
  if (baseSha) {
    if (!(await hasCommit(baseSha, top))) await fetch(['--depth=1', remote, baseSha], 'the base commit');
    if (await hasCommit(baseSha, top)) {
      base = baseSha;
      baseSpec = baseSha;
    }
  }
  if (!base && branchSpec && trackingRef) {
    if (!(await hasCommit(trackingRef, top))) await fetch(['--depth=1', remote, branchSpec], `the base branch ${branch}`);
    base = await revParse(trackingRef, top);
    baseSpec = branchSpec;
  }
  if (!base || !baseSpec) {
    throw new ChangeError(`the base ${baseSha ?? branch ?? ''} is not in the clone and could not be fetched from ${remote}`);
  }

  let mb = await mergeBase(base, head, top);
  const maxDepth = req.maxDepth ?? 2000;
  let fetched = 0;
  for (let step = 10; !mb && fetched < maxDepth && (await isShallow(top)); step *= 2) {
    const n = Math.min(step, maxDepth - fetched);
    fetched += n;
    // The head may exist only locally (a merge commit made by the checkout): deepen the base alone then.
    const ok = await fetch([`--deepen=${n}`, remote, baseSpec, head], `looking for the merge base, ${fetched} commits deep`);
    if (!ok) await fetch([`--deepen=${n}`, remote, baseSpec], 'looking for the merge base from the base side');
    mb = await mergeBase(base, head, top);
  }
  if (!mb && (await isShallow(top)) && fetched >= maxDepth) {
    await fetch(['--unshallow', remote, baseSpec], `no merge base within ${maxDepth} commits: fetching all history`);
    mb = await mergeBase(base, head, top);
  }
  if (!mb) throw new ChangeError(`no merge base between the base ${base.slice(0, 12)} and ${head.slice(0, 12)} (unrelated histories?)`);
  return { base: mb, via: 'merge-base' };
}

/**
 * Lists the files and lines that `head` (default HEAD) changed relative to its base. Throws
 * ChangeError when git cannot tell (not a repository, base unreachable); callers fall back.
 */
export async function gitChanges(req: ChangeRequest): Promise<ChangeSet> {
  const top = await gitTopLevel(req.cwd);
  if (!top) throw new ChangeError(`${req.cwd} is not inside a git work tree`);
  const headRev = req.head ?? 'HEAD';
  if (headRev.startsWith('-')) throw new ChangeError(`invalid head revision: ${JSON.stringify(headRev)}`);
  const head = await revParse(headRev, top);
  if (!head) throw new ChangeError(`the head revision ${headRev} is not in the clone`);
  const { base, via } = await findBase(req, top, head);

  // Pin every option a user's git config could change (prefixes, renames, external diff tools).
  const common = ['-c', 'core.quotePath=false', 'diff', '--no-ext-diff', '--no-textconv', '--no-color', '--find-renames', '--no-relative'];
  const names = await git([...common, '--name-status', '-z', base, head, '--'], top);
  const patch = await git([...common, '-U0', '--src-prefix=a/', '--dst-prefix=b/', base, head, '--'], top);
  const spans = parseUnifiedZero(patch);
  const files = parseNameStatus(names).map((f) => ({
    path: f.path,
    absPath: resolve(top, f.path),
    status: f.status,
    lines: spans.get(f.path) ?? [],
  }));
  return { top, base, head, via, files };
}

/**
 * Added lines of one file's unified diff hunks (the `patch` field of GitHub's and Azure's REST
 * APIs, with context lines), as spans in the new version.
 */
export function addedLinesFromPatch(patch: string | undefined): LineSpan[] {
  const spans: LineSpan[] = [];
  if (!patch) return spans;
  let line = 0;
  for (const text of patch.split('\n')) {
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (hunk) {
      line = Number(hunk[1]);
      continue;
    }
    if (line === 0 || text.startsWith('-') || text.startsWith('\\')) continue;
    if (text.startsWith('+')) {
      const last = spans[spans.length - 1];
      if (last && last.end === line - 1) last.end = line;
      else spans.push({ start: line, end: line });
    }
    line++;
  }
  return spans;
}
