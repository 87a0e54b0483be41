/** Git repositories shaped like Azure Pipelines pull-request checkouts, for platform tests. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A privileged pod (one privileged-container error). */
export const PRIVILEGED = (name: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n        runAsNonRoot: true\n`;

/** A pod that may run as root (one run-as-root error); `container` names its container. */
export const ROOTISH = (name: string, container = 'app'): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: ${container}\n      image: nginx:1.27\n`;

/** Runs git with a fixed identity; returns trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.test',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.test',
    },
  }).trim();
}

/** Writes a file, creating its directory. */
export function write(root: string, rel: string, text: string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
}

/** A depth-1 pull-request checkout and what it was made from. */
export interface PullRequestRepo {
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
export function pullRequestRepo(opts: { before?: number; after?: number; full?: boolean } = {}): PullRequestRepo {
  const base = mkdtempSync(join(tmpdir(), 'pg-az-'));
  const origin = join(base, 'origin');
  mkdirSync(origin);
  git(origin, 'init', '-q', '-b', 'main');
  write(origin, 'k8s/old.yaml', PRIVILEGED('old'));
  write(origin, 'notes.txt', 'start\n');
  git(origin, 'add', '.');
  git(origin, 'commit', '-q', '-m', 'a');
  for (let i = 0; i < (opts.before ?? 3); i++) {
    write(origin, 'notes.txt', `before ${i}\n`);
    git(origin, 'commit', '-q', '-am', `before ${i}`);
  }
  git(origin, 'checkout', '-q', '-b', 'feature');
  write(origin, 'k8s/new.yaml', PRIVILEGED('new'));
  write(origin, 'deploy/api.yaml', ROOTISH('api'));
  git(origin, 'add', '.');
  git(origin, 'commit', '-q', '-m', 'feature');
  const source = git(origin, 'rev-parse', 'HEAD');
  git(origin, 'checkout', '-q', 'main');
  write(origin, 'k8s/later.yaml', PRIVILEGED('later'));
  git(origin, 'add', '.');
  git(origin, 'commit', '-q', '-m', 'later');
  for (let i = 1; i < (opts.after ?? 1); i++) {
    write(origin, 'notes.txt', `after ${i}\n`);
    git(origin, 'commit', '-q', '-am', `after ${i}`);
  }
  git(origin, 'checkout', '-q', '--detach');
  git(origin, 'merge', '-q', '--no-ff', '-m', 'merge', source);
  git(origin, 'update-ref', 'refs/pull/1/merge', 'HEAD');
  git(origin, 'checkout', '-q', 'main');

  const work = join(base, 's');
  mkdirSync(work);
  git(work, 'init', '-q');
  git(work, 'remote', 'add', 'origin', `file://${origin}`);
  const depth = opts.full ? [] : ['--depth=1'];
  git(work, 'fetch', '-q', '--no-tags', ...depth, 'origin', '+refs/pull/1/merge:refs/remotes/pull/1/merge');
  git(work, 'checkout', '-q', '--detach', 'refs/remotes/pull/1/merge');
  return { origin, work, source };
}
