/** Changed files of Azure pull-request builds, against real shallow git checkouts. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git as runGit } from '../../src/collect/git.js';
import { branchName, pullRequestChanges } from '../../src/platform/azure-changed.js';
import type { GitRunner } from '../../src/platform/azure-changed.js';
import { git, pullRequestRepo } from '../helpers/git-repo.js';

/** Records every git command while running it for real. */
function recording(): { run: GitRunner; calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    run: (args, cwd) => {
      calls.push([...args]);
      return runGit(args, cwd);
    },
  };
}

const refs = (source: string, targetBranch = 'refs/heads/main'): { targetBranch: string; sourceCommit: string } => ({
  targetBranch,
  sourceCommit: source,
});

describe('pull-request changed files', () => {
  it('deepens a depth-1 checkout until the merge base appears', async () => {
    const { work, source } = pullRequestRepo({ before: 2, after: 6 });
    const log: string[] = [];
    const { run, calls } = recording();
    const changes = await pullRequestChanges(work, refs(source), (l) => log.push(l), run, [1, 2, 4]);
    expect(calls[calls.findIndex((c) => c.includes('--deepen=2'))]).toEqual(
      expect.arrayContaining(['fetch', '--deepen=2', 'origin', '+refs/heads/main:refs/remotes/origin/main', source]),
    );
    expect(changes).toEqual({
      files: ['deploy/api.yaml', 'k8s/new.yaml'],
      how: expect.stringMatching(/^changes between the merge base with main/),
    });
    expect(log.some((l) => l.includes('fetching more history (--deepen=2)'))).toBe(true);
    expect(git(work, 'rev-parse', '--is-shallow-repository')).toBe('true');
  });

  it('fetches everything when the merge base lies beyond every depth step', async () => {
    const { work, source } = pullRequestRepo({ before: 1, after: 5 });
    const log: string[] = [];
    const changes = await pullRequestChanges(work, refs(source), (l) => log.push(l), runGit, [1]);
    expect(changes.files).toEqual(['deploy/api.yaml', 'k8s/new.yaml']);
    expect(log).toContain('no merge base with main yet; fetching more history (--unshallow)');
  });

  it('leaves a full clone unshallow (never passes --depth)', async () => {
    const { work, source } = pullRequestRepo({ full: true });
    const { run, calls } = recording();
    const changes = await pullRequestChanges(work, refs(source, 'main'), undefined, run);
    expect(changes.files).toEqual(['deploy/api.yaml', 'k8s/new.yaml']);
    expect(calls.flat().some((a) => a.startsWith('--depth') || a.startsWith('--deepen'))).toBe(false);
    expect(git(work, 'rev-parse', '--is-shallow-repository')).toBe('false');
  });

  it('falls back to the merge commit against its first parent when the target branch cannot be fetched', async () => {
    const { work, source } = pullRequestRepo();
    const changes = await pullRequestChanges(work, refs(source, 'refs/heads/gone'));
    expect(changes).toEqual({ files: ['deploy/api.yaml', 'k8s/new.yaml'], how: expect.stringContaining('first parent') });
  });

  it('says why when it cannot work out the changes', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'pg-az-nogit-'));
    const sha = 'a'.repeat(40);
    expect(await pullRequestChanges(plain, refs(sha))).toEqual({ reason: 'the sources directory is not a git checkout' });
    expect(await pullRequestChanges(plain, refs('HEAD'))).toEqual({
      reason: 'System.PullRequest.SourceCommitId "HEAD" is not a commit id',
    });
    expect(await pullRequestChanges(plain, refs(sha, '--upload-pack=evil'))).toEqual({
      reason: 'the target branch "--upload-pack=evil" is not a branch name',
    });
  });

  it('reads branch names from Azure Repos and GitHub forms', () => {
    expect(branchName('refs/heads/release/1.2')).toBe('release/1.2');
    expect(branchName('main')).toBe('main');
    expect(branchName('refs/pull/3/merge')).toBeUndefined();
    expect(branchName('a..b')).toBeUndefined();
    expect(branchName('')).toBeUndefined();
  });
});
