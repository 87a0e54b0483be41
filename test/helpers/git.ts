/**
 * Temporary git repositories shaped like CI checkouts (an origin, a PR merge ref, shallow clones):
 * GitHub's layout (pullRequestRepo + shallowCheckout) and Azure Pipelines' (azurePullRequestCheckout).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

/** Runs git in `cwd` and returns trimmed stdout. */
export function sh(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** Writes files (null deletes) and commits them; returns the new commit SHA. */
export function commit(cwd: string, message: string, files: Record<string, string | null>): string {
  for (const [p, c] of Object.entries(files)) {
    const abs = join(cwd, p);
    if (c === null) rmSync(abs);
    else {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, c);
    }
  }
  sh(cwd, 'add', '-A');
  sh(cwd, 'commit', '-q', '--allow-empty', '-m', message);
  return sh(cwd, 'rev-parse', 'HEAD');
}

/** A fresh temporary directory. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A pull request on an origin repository, as GitHub lays it out. */
export interface PullRequestRepo {
  origin: string;
  baseSha: string;
  headSha: string;
  mergeSha: string;
  /** Where the base branch pointed when the PR branched off. */
  forkPoint: string;
}

/**
 * Builds an origin with `main`, a feature branch, and `refs/pull/1/merge` (the feature merged
 * into main). `base` files start main; `head` changes form the PR; `mainLater` lands on main
 * after the PR branched (the PR must not be blamed for it); `history` adds filler commits.
 */
export function pullRequestRepo(opts: {
  base: Record<string, string>;
  head: Record<string, string | null>;
  mainLater?: Record<string, string | null>;
  history?: number;
}): PullRequestRepo {
  const origin = tempDir('pg-origin-');
  sh(origin, 'init', '-q', '-b', 'main');
  sh(origin, 'config', 'uploadpack.allowAnySHA1InWant', 'true');
  commit(origin, 'base', opts.base);
  for (let i = 0; i < (opts.history ?? 0); i++) commit(origin, `filler ${i}`, { 'filler.txt': `${i}\n` });
  const forkPoint = sh(origin, 'rev-parse', 'HEAD');
  sh(origin, 'checkout', '-q', '-b', 'feature');
  for (let i = 0; i < (opts.history ?? 0); i++) commit(origin, `feature filler ${i}`, { 'feature.txt': `${i}\n` });
  const headSha = commit(origin, 'pr change', opts.head);
  sh(origin, 'checkout', '-q', 'main');
  if (opts.mainLater) commit(origin, 'later on main', opts.mainLater);
  const baseSha = sh(origin, 'rev-parse', 'HEAD');
  sh(origin, 'merge', '-q', '--no-ff', '--no-edit', 'feature');
  const mergeSha = sh(origin, 'rev-parse', 'HEAD');
  sh(origin, 'update-ref', 'refs/pull/1/merge', mergeSha);
  sh(origin, 'update-ref', 'refs/pull/1/head', headSha);
  sh(origin, 'reset', '-q', '--hard', baseSha);
  return { origin, baseSha, headSha, mergeSha, forkPoint };
}

/** Clones `ref` of `origin` at depth 1, as actions/checkout does by default. */
export function shallowCheckout(origin: string, ref: string): string {
  const dir = tempDir('pg-checkout-');
  sh(dir, 'init', '-q');
  sh(dir, 'remote', 'add', 'origin', `file://${origin}`);
  sh(dir, 'fetch', '-q', '--no-tags', '--depth=1', 'origin', `+${ref}:refs/remotes/checkout`);
  sh(dir, 'checkout', '-q', '--detach', 'refs/remotes/checkout');
  return dir;
}

/** A privileged pod (one privileged-container error). */
export const PRIVILEGED = (name: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n        runAsNonRoot: true\n`;

/** A pod that may run as root (one run-as-root error); `container` names its container. */
export const ROOTISH = (name: string, container = 'app'): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: ${container}\n      image: nginx:1.27\n`;

/** Writes a file, creating its directory. */
export function write(root: string, rel: string, text: string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
}

/**
 * A fresh temporary directory holding `files` (path to text), by its real path (macOS's /tmp is
 * a link): the scaffolding the platform, collect and hostile-name tests share.
 */
export function workspace(files: Record<string, string>, prefix = 'pg-platform-'): string {
  const root = realpathSync(tempDir(prefix));
  for (const [p, t] of Object.entries(files)) write(root, p, t);
  return root;
}

/** A depth-1 Azure Pipelines pull-request checkout and what it was made from. */
export interface AzureCheckout {
  origin: string;
  /** The agent's sources directory: the merge commit, checked out with depth 1. */
  work: string;
  /** The pull request's source commit. */
  source: string;
}

/**
 * An origin where main has `before` commits, then feature branches off and adds k8s/new.yaml and
 * deploy/api.yaml, main moves on by `after` commits (adding k8s/later.yaml), and the merge commit
 * sits at refs/pull/1/merge; the work tree checks that out with depth 1, as a new Azure pipeline does.
 */
export function azurePullRequestCheckout(opts: { before?: number; after?: number; full?: boolean } = {}): AzureCheckout {
  const base = mkdtempSync(join(tmpdir(), 'pg-az-'));
  const origin = join(base, 'origin');
  mkdirSync(origin);
  sh(origin, 'init', '-q', '-b', 'main');
  write(origin, 'k8s/old.yaml', PRIVILEGED('old'));
  write(origin, 'notes.txt', 'start\n');
  sh(origin, 'add', '.');
  sh(origin, 'commit', '-q', '-m', 'a');
  for (let i = 0; i < (opts.before ?? 3); i++) {
    write(origin, 'notes.txt', `before ${i}\n`);
    sh(origin, 'commit', '-q', '-am', `before ${i}`);
  }
  sh(origin, 'checkout', '-q', '-b', 'feature');
  write(origin, 'k8s/new.yaml', PRIVILEGED('new'));
  write(origin, 'deploy/api.yaml', ROOTISH('api'));
  sh(origin, 'add', '.');
  sh(origin, 'commit', '-q', '-m', 'feature');
  const source = sh(origin, 'rev-parse', 'HEAD');
  sh(origin, 'checkout', '-q', 'main');
  write(origin, 'k8s/later.yaml', PRIVILEGED('later'));
  sh(origin, 'add', '.');
  sh(origin, 'commit', '-q', '-m', 'later');
  for (let i = 1; i < (opts.after ?? 1); i++) {
    write(origin, 'notes.txt', `after ${i}\n`);
    sh(origin, 'commit', '-q', '-am', `after ${i}`);
  }
  sh(origin, 'checkout', '-q', '--detach');
  sh(origin, 'merge', '-q', '--no-ff', '-m', 'merge', source);
  sh(origin, 'update-ref', 'refs/pull/1/merge', 'HEAD');
  sh(origin, 'checkout', '-q', 'main');

  const work = join(base, 's');
  mkdirSync(work);
  sh(work, 'init', '-q');
  sh(work, 'remote', 'add', 'origin', `file://${origin}`);
  const depth = opts.full ? [] : ['--depth=1'];
  sh(work, 'fetch', '-q', '--no-tags', ...depth, 'origin', '+refs/pull/1/merge:refs/remotes/pull/1/merge');
  sh(work, 'checkout', '-q', '--detach', 'refs/remotes/pull/1/merge');
  return { origin, work, source };
}
