/** Changed files of Azure pull-request builds, against real depth-1 checkouts of the merge commit. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pullRequestChanges } from '../../src/platform/azure.js';
import { azurePullRequestCheckout } from '../helpers/git.js';

const refs = (sourceCommit: string, targetBranch = 'refs/heads/main'): { targetBranch: string; sourceCommit: string } => ({
  targetBranch,
  sourceCommit,
});

describe('Azure pull-request changed files', () => {
  it('diffs a depth-1 merge commit against its first parent, with the touched lines', async () => {
    const { work, source } = azurePullRequestCheckout({ before: 2, after: 6 });
    const log: string[] = [];
    const changes = await pullRequestChanges(work, refs(source), (l) => log.push(l));
    expect(changes).toMatchObject({
      files: ['deploy/api.yaml', 'k8s/new.yaml'],
      how: '2 in the diff of the merge commit against its first parent',
    });
    expect(changes.files && [...changes.touched]).toEqual([
      ['deploy/api.yaml', [{ start: 1, end: 8 }]],
      ['k8s/new.yaml', [{ start: 1, end: 11 }]],
    ]);
    expect(log.join('\n')).toMatch(/--depth=2/);
  });

  it('finds the merge base with the target branch (GitHub-style branch name) when the source commit is unknown', async () => {
    const { work } = azurePullRequestCheckout({ before: 2, after: 3 });
    const changes = await pullRequestChanges(work, refs('', 'main'), () => undefined);
    expect(changes).toMatchObject({
      files: ['deploy/api.yaml', 'k8s/new.yaml'],
      how: expect.stringMatching(/^2 in the diff of the merge base [0-9a-f]{12}$/),
    });
  });

  it('says why when the changes cannot be worked out', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'pg-az-nogit-'));
    const sha = 'a'.repeat(40);
    expect(await pullRequestChanges(plain, refs(sha), () => undefined)).toEqual({ reason: `${plain} is not inside a git work tree` });
    expect(await pullRequestChanges(plain, refs(sha, ''), () => undefined)).toEqual({
      reason: 'System.PullRequest.TargetBranch is not set',
    });
    const { work } = azurePullRequestCheckout();
    expect(await pullRequestChanges(work, refs(sha, '--upload-pack=evil'), () => undefined)).toEqual({
      reason: 'invalid base branch name: "--upload-pack=evil"',
    });
  });
});
