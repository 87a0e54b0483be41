import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChangeError, gitChanges, inSpans, parseUnifiedZero, unquotePath } from '../../src/collect/changed.js';
import { commit, pullRequestRepo, sh, shallowCheckout, tempDir } from '../helpers/git.js';

const deploy = (image: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: ${image}\n`;

describe('parseUnifiedZero', () => {
  it('reads added/changed spans per new path, skipping deletions and pure removals', () => {
    const out = [
      'diff --git a/k8s/a.yaml b/k8s/a.yaml',
      'index 1..2 100644',
      '--- a/k8s/a.yaml',
      '+++ b/k8s/a.yaml',
      '@@ -3 +3 @@ spec:',
      '-x',
      '+y',
      '@@ -10,0 +11,3 @@',
      '+a',
      '+b',
      '+c',
      '@@ -20,2 +22,0 @@',
      '-gone',
      '-gone',
      'diff --git a/old.yaml b/old.yaml',
      'deleted file mode 100644',
      '--- a/old.yaml',
      '+++ /dev/null',
      '@@ -1,2 +0,0 @@',
      'diff --git "a/caf\\303\\251 \\"x\\".yaml" "b/caf\\303\\251 \\"x\\".yaml"',
      '--- "a/caf\\303\\251 \\"x\\".yaml"',
      '+++ "b/caf\\303\\251 \\"x\\".yaml"',
      '@@ -0,0 +1,2 @@',
    ].join('\n');
    const spans = parseUnifiedZero(out);
    expect([...spans.keys()]).toEqual(['k8s/a.yaml', 'café "x".yaml']);
    expect(spans.get('k8s/a.yaml')).toEqual([
      { start: 3, end: 3 },
      { start: 11, end: 13 },
    ]);
    expect(inSpans(spans.get('k8s/a.yaml'), 12)).toBe(true);
    expect(inSpans(spans.get('k8s/a.yaml'), 14)).toBe(false);
    expect(inSpans(undefined, 1)).toBe(false);
  });

  it('unquotes C-quoted paths and leaves plain ones alone', () => {
    expect(unquotePath('"tab\\there\\\\"')).toBe('tab\there\\');
    expect(unquotePath('plain path.yaml')).toBe('plain path.yaml');
  });
});

describe('gitChanges', () => {
  const base = {
    'k8s/keep.yaml': deploy('nginx:1.0'),
    'k8s/edit.yaml': deploy('nginx:1.0'),
    'k8s/gone.yaml': 'kind: ConfigMap\ndata:\n  a: "1"\n  b: "2"\n',
    'k8s/move.yaml': deploy('m:1'),
  };
  const head = {
    'k8s/edit.yaml': deploy('nginx:2.0'),
    'k8s/new file.yaml': deploy('new:1'),
    'k8s/gone.yaml': null,
    'k8s/move.yaml': null,
    'k8s/moved.yaml': deploy('m:1'),
  };

  it('diffs the default PR checkout (merge commit, depth 1) after fetching its parents', async () => {
    const pr = pullRequestRepo({ base, head, mainLater: { 'k8s/keep.yaml': deploy('nginx:9') } });
    const dir = shallowCheckout(pr.origin, 'refs/pull/1/merge');
    const logs: string[] = [];
    const cs = await gitChanges({ cwd: join(dir, 'k8s'), baseSha: pr.baseSha, baseRef: 'main', log: (m) => logs.push(m) });
    expect(cs.via).toBe('merge-commit');
    expect(cs.base).toBe(pr.baseSha);
    expect(cs.head).toBe(pr.mergeSha);
    expect(cs.files.map((f) => [f.path, f.status])).toEqual([
      ['k8s/edit.yaml', 'M'],
      ['k8s/moved.yaml', 'R'],
      ['k8s/new file.yaml', 'A'],
    ]);
    expect(cs.files[0]!.lines).toEqual([{ start: 8, end: 8 }]);
    expect(cs.files[0]!.absPath).toBe(join(dir, 'k8s/edit.yaml'));
    expect(cs.files[1]!.lines).toEqual([]);
    expect(cs.files[2]!.lines).toEqual([{ start: 1, end: 8 }]);
    expect(logs.some((l) => l.includes('--depth=2'))).toBe(true);
  });

  it('trusts the merge commit when its second parent is the PR head, even if the base SHA moved', async () => {
    const pr = pullRequestRepo({ base, head, mainLater: { 'k8s/keep.yaml': deploy('nginx:9') } });
    const dir = shallowCheckout(pr.origin, 'refs/pull/1/merge');
    const cs = await gitChanges({ cwd: dir, baseSha: pr.forkPoint, prHeadSha: pr.headSha });
    expect([cs.via, cs.base]).toEqual(['merge-commit', pr.baseSha]);
    expect(cs.files.map((f) => f.path)).not.toContain('k8s/keep.yaml');
  });

  it('deepens both sides until a merge base exists when the PR head itself is checked out', async () => {
    const pr = pullRequestRepo({ base, head, history: 25, mainLater: { 'k8s/keep.yaml': deploy('nginx:9') } });
    const dir = shallowCheckout(pr.origin, 'refs/pull/1/head');
    const logs: string[] = [];
    const cs = await gitChanges({ cwd: dir, baseSha: pr.baseSha, baseRef: 'main', log: (m) => logs.push(m) });
    expect(cs.via).toBe('merge-base');
    expect(cs.base).toBe(pr.forkPoint);
    // keep.yaml changed on main after the fork: not the PR's doing.
    expect(cs.files.map((f) => f.path)).toEqual(['feature.txt', 'k8s/edit.yaml', 'k8s/moved.yaml', 'k8s/new file.yaml']);
    expect(logs.filter((l) => l.includes('--deepen=')).length).toBeGreaterThanOrEqual(2);
  });

  it('falls back to the base branch when the base SHA is gone from the server', async () => {
    const pr = pullRequestRepo({ base, head });
    const dir = shallowCheckout(pr.origin, 'refs/pull/1/head');
    const cs = await gitChanges({ cwd: dir, baseSha: 'f'.repeat(40), baseRef: 'main' });
    expect(cs.base).toBe(pr.forkPoint);
    expect(cs.files.map((f) => f.path)).toContain('k8s/edit.yaml');
  });

  it('works in a full clone without fetching (push: before..after)', async () => {
    const dir = tempDir('pg-full-');
    sh(dir, 'init', '-q', '-b', 'main');
    const before = commit(dir, 'one', { 'a.yaml': deploy('a:1'), 'b.yaml': deploy('b:1') });
    commit(dir, 'two', { 'b.yaml': deploy('b:2') });
    const cs = await gitChanges({ cwd: dir, baseSha: before });
    expect(cs.files.map((f) => f.path)).toEqual(['b.yaml']);
    expect(cs.files[0]!.lines).toEqual([{ start: 8, end: 8 }]);
  });

  it('explains why it cannot tell, without running anything a branch name could inject', async () => {
    const notRepo = mkdtempSync(join(tmpdir(), 'pg-norepo-'));
    await expect(gitChanges({ cwd: notRepo, baseRef: 'main' })).rejects.toThrow(/not inside a git work tree/);
    const pr = pullRequestRepo({ base, head });
    const dir = shallowCheckout(pr.origin, 'refs/pull/1/head');
    // An option in place of a branch name is refused before git runs: the command it carries never runs.
    const marker = join(tempDir('pg-inject-'), 'pwned');
    for (const baseRef of [`--upload-pack=touch ${marker}`, `-u touch ${marker}`]) {
      const err = await gitChanges({ cwd: dir, baseRef }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChangeError);
      expect((err as Error).message).toMatch(/^invalid base branch name/);
    }
    const shaErr = await gitChanges({ cwd: dir, baseSha: `--upload-pack=touch ${marker}` }).catch((e: unknown) => e);
    expect(shaErr).toBeInstanceOf(ChangeError);
    expect((shaErr as Error).message).toMatch(/^invalid base commit SHA/);
    expect(existsSync(marker)).toBe(false);
    await expect(gitChanges({ cwd: dir, baseRef: 'main;rm -rf x' })).rejects.toThrow(/invalid base branch/);
    await expect(gitChanges({ cwd: dir, baseSha: 'not-a-sha' })).rejects.toThrow(/invalid base commit SHA/);
    await expect(gitChanges({ cwd: dir })).rejects.toThrow(/no base/);
    await expect(gitChanges({ cwd: dir, baseRef: 'no-such-branch' })).rejects.toThrow(/could not be fetched/);
    const orphanRepo = tempDir('pg-orphan-');
    sh(orphanRepo, 'init', '-q', '-b', 'other');
    const orphan = commit(orphanRepo, 'unrelated', { 'x.yaml': 'a: 1\n' });
    sh(dir, 'fetch', '-q', `file://${orphanRepo}`, orphan);
    await expect(gitChanges({ cwd: dir, baseSha: orphan })).rejects.toThrow(/no merge base/);
  });
});
