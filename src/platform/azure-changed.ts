/**
 * Files changed by an Azure Pipelines pull-request build. New pipelines check out the merge
 * commit with depth 1, so the target branch and the source commit are fetched and deepened
 * until a merge base exists; failing that the merge commit is diffed against its first parent.
 * Git runs with argument arrays only.
 */
import { git, parseNameStatus } from '../collect/git.js';

/** Runs git in a directory (injected in tests). */
export type GitRunner = (args: readonly string[], cwd: string) => Promise<string>;

/** Changed files (relative to the repository root) or why they could not be worked out. */
export type PullRequestChanges = { files: string[]; how: string } | { files?: undefined; reason: string };

/** Where a pull request comes from and goes to. */
export interface PullRequestRefs {
  /** `System.PullRequest.TargetBranch`: `refs/heads/main` (Azure Repos) or `main` (GitHub). */
  targetBranch: string;
  /** `System.PullRequest.SourceCommitId`. */
  sourceCommit: string;
}

/** Depths tried in turn before the whole history is fetched (`--unshallow`). */
export const DEEPEN_STEPS: readonly number[] = [50, 200, 1000, 5000];

/** `refs/heads/main` -> `main`; rejects names git would read as options or that are not branch names. */
export function branchName(ref: string): string | undefined {
  const name = ref.trim().replace(/^refs\/heads\//, '');
  if (!name || name.startsWith('-') || name.startsWith('refs/') || /[\s~^:?*[\\]|\.\.|@\{/.test(name)) return undefined;
  return name;
}

async function ok(run: GitRunner, args: readonly string[], cwd: string): Promise<string | undefined> {
  try {
    return await run(args, cwd);
  } catch {
    return undefined;
  }
}

async function diff(run: GitRunner, from: string, to: string, cwd: string): Promise<string[] | undefined> {
  const out = await ok(run, ['diff', '--name-status', '-z', '--no-renames', from, to, '--'], cwd);
  return out === undefined ? undefined : parseNameStatus(out).map((f) => f.path);
}

/**
 * The files a pull request changes, as the diff between the merge base of the target branch and
 * the source commit. `root` must be the repository root (Build.SourcesDirectory).
 */
export async function pullRequestChanges(
  root: string,
  refs: PullRequestRefs,
  log: (line: string) => void = () => undefined,
  run: GitRunner = git,
  steps: readonly number[] = DEEPEN_STEPS,
): Promise<PullRequestChanges> {
  const target = branchName(refs.targetBranch);
  const source = refs.sourceCommit.trim();
  if (!target) return { reason: `the target branch ${JSON.stringify(refs.targetBranch)} is not a branch name` };
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(source)) {
    return { reason: `System.PullRequest.SourceCommitId ${JSON.stringify(refs.sourceCommit)} is not a commit id` };
  }
  if ((await ok(run, ['rev-parse', '--is-inside-work-tree'], root))?.trim() !== 'true') {
    return { reason: 'the sources directory is not a git checkout' };
  }
  const remoteRef = `refs/remotes/origin/${target}`;
  const refspec = `+refs/heads/${target}:${remoteRef}`;
  const shallow = (await ok(run, ['rev-parse', '--is-shallow-repository'], root))?.trim() === 'true';
  // A full clone is fetched without --depth: a depth would make it shallow.
  const depthArgs = (n: number): string[] => (shallow ? [`--depth=${n}`] : []);
  const fetch = (extra: readonly string[]): Promise<string | undefined> =>
    ok(run, ['fetch', '--no-tags', '--quiet', ...extra, 'origin', refspec, source], root);

  let fetched = await fetch(depthArgs(steps[0]!));
  if (fetched === undefined) {
    // Some servers refuse a commit id in a fetch; the target branch alone still helps.
    fetched = await ok(run, ['fetch', '--no-tags', '--quiet', ...depthArgs(steps[0]!), 'origin', refspec], root);
  }
  if (fetched === undefined) log(`could not fetch ${target} from origin; using the commits already checked out`);

  const haveSource = (await ok(run, ['cat-file', '-e', `${source}^{commit}`], root)) !== undefined;
  const targetRef =
    (await ok(run, ['rev-parse', '--verify', '--quiet', `${remoteRef}^{commit}`], root)) !== undefined ? remoteRef : undefined;
  if (haveSource && targetRef) {
    for (let step = 0; ; step++) {
      const base = (await ok(run, ['merge-base', targetRef, source], root))?.trim();
      if (base) {
        const files = await diff(run, base, source, root);
        if (files) return { files, how: `changes between the merge base with ${target} (${base.slice(0, 12)}) and ${source.slice(0, 12)}` };
      }
      if (!shallow || step >= steps.length) break;
      const deeper = step + 1 < steps.length ? [`--deepen=${steps[step + 1]}`] : ['--unshallow'];
      log(`no merge base with ${target} yet; fetching more history (${deeper[0]})`);
      if ((await fetch(deeper)) === undefined) break;
    }
  }

  // The checked-out merge commit: its first parent is the target branch at merge time.
  const parents = (await ok(run, ['rev-list', '--parents', '-n', '1', 'HEAD'], root))?.trim().split(/\s+/) ?? [];
  if (parents.length < 3) {
    const head = parents[0];
    if (head && shallow) await ok(run, ['fetch', '--no-tags', '--quiet', '--deepen=1', 'origin', head], root);
  }
  const files = await diff(run, 'HEAD^1', 'HEAD', root);
  if (files) return { files, how: `changes of the merge commit against its first parent (no merge base with ${target} was found)` };
  return {
    reason: `neither a merge base of ${target} and ${source.slice(0, 12)} nor the merge commit's first parent could be found`,
  };
}
