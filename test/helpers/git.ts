/** Temporary git repositories shaped like CI checkouts (an origin, a PR merge ref, shallow clones). */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
