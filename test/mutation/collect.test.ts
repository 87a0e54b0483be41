/**
 * The collect module's own contract, pinned for mutation testing (issue #21): which files a scan
 * takes (walk, git listing, changed files), how each is named and classified, what containment
 * refuses, which render roots the same walk finds, and the git calls behind them. Exact lists,
 * never "contains".
 */
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { collect, findRenderMarkers } from '../../src/collect/collect.js';
import { changedSince, git, gitTopLevel, parseNameStatus, splitZ } from '../../src/collect/git.js';
import type { Collected } from '../../src/collect/collect.js';
import { ConfigurationError } from '../../src/types.js';
import { commit, sh, tempDir, workspace } from '../helpers/git.js';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n';

const tree = (files: Record<string, string>): string => workspace(files, 'pg-collect-');

/** What a collection gave, as relPath:kind, the issues as relPath plus their reason's gist. */
const shape = (c: Collected): { files: string[]; issues: string[]; markers: string[] | undefined } => ({
  files: c.candidates.map((x) => `${x.relPath}:${x.nameKind}`),
  issues: c.issues.map((i) => `${i.relPath}: ${i.reason}`),
  markers: c.markers,
});

const MIXED = {
  'b/deploy.yaml': POD,
  'a/pod.yml': POD,
  'a/Dockerfile': 'FROM scratch\n',
  'a/web.Dockerfile': 'FROM scratch\n',
  'compose.yaml': 'services: {}\n',
  'aci.json': '{}',
  'package.json': '{}',
  'README.md': '# not ours\n',
  'notes.txt': 'not ours\n',
  'node_modules/lib/pod.yaml': POD,
  '.git-like/pod.yaml': POD,
  'deep/er/still/pod.yaml': POD,
  'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n',
  'chart/templates/d.yaml': POD,
  'overlay/kustomization.yaml': 'resources: []\n',
  'overlay/Kustomization': 'resources: []\n',
};

describe('collect: the walk of a plain directory', () => {
  it('takes exactly the files that may be ours, sorted, named from the root with forward slashes, and skips node_modules', async () => {
    const root = tree(MIXED);
    const c = await collect({ root, paths: ['.'], exclude: [] });
    expect(shape(c)).toEqual({
      files: [
        '.git-like/pod.yaml:yaml',
        'a/Dockerfile:dockerfile',
        'a/pod.yml:yaml',
        'a/web.Dockerfile:dockerfile',
        'aci.json:json',
        'b/deploy.yaml:yaml',
        'chart/Chart.yaml:named-yaml',
        'chart/templates/d.yaml:yaml',
        'compose.yaml:compose',
        'deep/er/still/pod.yaml:yaml',
        'overlay/kustomization.yaml:named-yaml',
      ],
      issues: [],
      markers: ['chart/Chart.yaml', 'overlay/Kustomization', 'overlay/kustomization.yaml'],
    });
    for (const x of c.candidates) expect(x.absPath).toBe(join(root, ...x.relPath.split('/')));
  });

  it('skips a .git directory wherever it sits, and what `exclude:` names (dot directories too)', async () => {
    const root = tree({ ...MIXED, 'x/.git/pod.yaml': POD, '.ci/pod.yaml': POD });
    const c = await collect({ root, paths: ['.'], exclude: ['b/**', '**/*.json', '.ci/**', 'chart/**'] });
    expect(c.candidates.map((x) => x.relPath)).toEqual([
      '.git-like/pod.yaml',
      'a/Dockerfile',
      'a/pod.yml',
      'a/web.Dockerfile',
      'compose.yaml',
      'deep/er/still/pod.yaml',
      'overlay/kustomization.yaml',
    ]);
    // An excluded chart is no render root either.
    expect(c.markers).toEqual(['overlay/Kustomization', 'overlay/kustomization.yaml']);
  });

  it('walks only the paths it is given; a file named on its own is taken and then no markers are listed', async () => {
    const root = tree(MIXED);
    expect(shape(await collect({ root, paths: ['a', 'deep'], exclude: [] }))).toEqual({
      files: ['a/Dockerfile:dockerfile', 'a/pod.yml:yaml', 'a/web.Dockerfile:dockerfile', 'deep/er/still/pod.yaml:yaml'],
      issues: [],
      markers: [],
    });
    const one = await collect({ root, paths: ['b/deploy.yaml'], exclude: [] });
    expect(shape(one)).toEqual({ files: ['b/deploy.yaml:yaml'], issues: [], markers: undefined });
    // The same file twice (as a file and inside a walked directory) is one candidate.
    const both = await collect({ root, paths: ['b', 'b/deploy.yaml', join(root, 'b')], exclude: [] });
    expect(both.candidates.map((x) => x.relPath)).toEqual(['b/deploy.yaml']);
  });

  it('refuses a path that does not exist, naming the path input', async () => {
    const root = tree(MIXED);
    const err = await collect({ root, paths: ['a', 'nope/x'], exclude: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as ConfigurationError).message).toBe('path not found: nope/x');
    expect((err as ConfigurationError).input).toBe('paths');
  });
});

describe('collect: links', () => {
  it('takes a link to a file inside the root once (under the first name), refuses links out and dangling ones, never follows a linked directory', async () => {
    const outside = tree({ 'secret.yaml': POD, 'dir/pod.yaml': POD });
    const root = tree({ 'z/real.yaml': POD });
    symlinkSync(join(root, 'z/real.yaml'), join(root, 'a-link.yaml'));
    symlinkSync(join(outside, 'secret.yaml'), join(root, 'out.yaml'));
    symlinkSync(join(root, 'missing.yaml'), join(root, 'dangling.yaml'));
    symlinkSync(join(outside, 'dir'), join(root, 'linked-dir'));
    symlinkSync(join(root, 'z'), join(root, 'inner-dir'));
    const c = await collect({ root, paths: ['.'], exclude: [] });
    expect(shape(c)).toEqual({
      files: ['a-link.yaml:yaml'],
      issues: [
        'dangling.yaml: it is a symbolic link whose target does not exist (or a link loop)',
        'out.yaml: it is a symbolic link to a file outside the scanned root, which podguard never follows',
      ],
      markers: [],
    });
    // The link's target is read (its real path), under the name the link has.
    expect(c.candidates[0]!.absPath).toBe(join(root, 'z/real.yaml'));
  });

  it('refuses a link out among the changed files too, and skips a link to a directory', async () => {
    const outside = tree({ 'secret.yaml': POD });
    const root = tree({ 'ok.yaml': POD, 'd/x.yaml': POD });
    symlinkSync(join(outside, 'secret.yaml'), join(root, 'out.yaml'));
    symlinkSync(join(root, 'd'), join(root, 'dir.yaml'));
    const c = await collect({ root, paths: ['.'], exclude: [], only: ['out.yaml', 'dir.yaml', 'ok.yaml'] });
    expect(shape(c)).toEqual({
      files: ['ok.yaml:yaml'],
      issues: ['out.yaml: it is a symbolic link to a file outside the scanned root, which podguard never follows'],
      markers: undefined,
    });
  });
});

describe('collect: changed files', () => {
  it('takes exactly the changed files under the paths that may be ours; deleted, excluded and skipped ones are left out silently', async () => {
    const root = tree(MIXED);
    const c = await collect({
      root,
      paths: ['a', 'b', 'node_modules', 'chart'],
      exclude: ['chart/**'],
      only: [
        'a/pod.yml',
        'b/deploy.yaml',
        'b/gone.yaml',
        'deep/er/still/pod.yaml',
        'README.md',
        'node_modules/lib/pod.yaml',
        'chart/templates/d.yaml',
      ],
    });
    expect(shape(c)).toEqual({ files: ['a/pod.yml:yaml', 'b/deploy.yaml:yaml'], issues: [], markers: undefined });
  });

  it('walks nothing: a path that does not exist is no error', async () => {
    const root = tree(MIXED);
    const c = await collect({ root, paths: ['missing'], exclude: [], only: ['missing/a.yaml'] });
    expect(shape(c)).toEqual({ files: [], issues: [], markers: undefined });
  });
});

describe('collect: in a git repository', () => {
  it('honours .gitignore (nested, negated) and keeps tracked and untracked files; a tracked node_modules is still skipped', async () => {
    const root = realpathSync(tempDir('pg-collect-git-'));
    sh(root, 'init', '-q');
    commit(root, 'init', {
      '.gitignore': 'build/\n*.gen.yaml\n!keep.gen.yaml\n',
      'app/pod.yaml': POD,
      'app/.gitignore': 'local.yaml\n',
      'app/local.yaml': POD,
      'build/pod.yaml': POD,
      'x.gen.yaml': POD,
      'keep.gen.yaml': POD,
    });
    sh(root, 'add', '-f', 'build/pod.yaml');
    mkdirSync(join(root, 'node_modules/m'), { recursive: true });
    writeFileSync(join(root, 'node_modules/m/pod.yaml'), POD);
    sh(root, 'add', '-f', 'node_modules/m/pod.yaml');
    sh(root, 'commit', '-q', '-m', 'tracked anyway');
    writeFileSync(join(root, 'untracked.yaml'), POD);
    writeFileSync(join(root, 'ignored.gen.yaml'), POD);
    mkdirSync(join(root, 'build/more'), { recursive: true });
    writeFileSync(join(root, 'build/more/new.yaml'), POD);
    const c = await collect({ root, paths: ['.'], exclude: [] });
    // build/pod.yaml is tracked (added with -f): git lists it; its untracked neighbour stays ignored.
    expect(c.candidates.map((x) => x.relPath)).toEqual(['app/pod.yaml', 'build/pod.yaml', 'keep.gen.yaml', 'untracked.yaml']);
    const sub = await collect({ root, paths: ['app'], exclude: [] });
    expect(sub.candidates.map((x) => x.relPath)).toEqual(['app/pod.yaml']);
  });
});

describe('findRenderMarkers', () => {
  it('lists every chart and kustomization under the paths, sorted, without node_modules or excluded ones', async () => {
    const root = tree({ ...MIXED, 'node_modules/x/Chart.yaml': 'x', 'vendor/kustomization.yml': 'x', 'c2/Chart.yaml': 'x' });
    expect(await findRenderMarkers({ root, paths: ['.'], exclude: ['vendor/**'] })).toEqual([
      'c2/Chart.yaml',
      'chart/Chart.yaml',
      'overlay/Kustomization',
      'overlay/kustomization.yaml',
    ]);
    expect(await findRenderMarkers({ root, paths: ['overlay', 'missing'], exclude: [] })).toEqual([
      'overlay/Kustomization',
      'overlay/kustomization.yaml',
    ]);
  });

  it('for a template named on its own, finds the nearest chart above it and no other', async () => {
    const root = tree({
      'outer/Chart.yaml': 'x',
      'outer/charts/inner/Chart.yaml': 'x',
      'outer/charts/inner/templates/d.yaml': POD,
      'lone/d.yaml': POD,
    });
    expect(await findRenderMarkers({ root, paths: ['outer/charts/inner/templates/d.yaml'], exclude: [] })).toEqual([
      'outer/charts/inner/Chart.yaml',
    ]);
    expect(await findRenderMarkers({ root, paths: ['lone/d.yaml'], exclude: [] })).toEqual([]);
  });

  it('for changed files outside git, looks up the charts and kustomizations above each one, up to the root and not beyond', async () => {
    const above = tree({ 'Chart.yaml': 'x' });
    const root = join(above, 'repo');
    mkdirSync(root);
    for (const [rel, text] of Object.entries({
      'kustomization.yaml': 'x',
      'svc/Chart.yaml': 'x',
      'svc/templates/d.yaml': POD,
      'svc/kustomization.yml': 'x',
      'svc/templates/Kustomization': 'x',
      'skip/Chart.yaml': 'x',
      'skip/d.yaml': POD,
      'other/Chart.yaml': 'x',
      'svc/templates/Chart.yml': 'x',
      'svc/templates/kustomization.json': 'x',
    })) {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    }
    expect(await findRenderMarkers({ root, paths: ['.'], exclude: ['skip/**'], only: ['svc/templates/d.yaml', 'skip/d.yaml'] })).toEqual([
      'kustomization.yaml',
      'svc/Chart.yaml',
      'svc/kustomization.yml',
      'svc/templates/Kustomization',
    ]);
  });
});

describe('git: the calls changed-file scoping stands on', () => {
  const outside = (): string => realpathSync(tempDir('pg-collect-nogit-'));
  const repo = (): string => {
    const root = realpathSync(tempDir('pg-collect-gitcalls-'));
    sh(root, 'init', '-q');
    return root;
  };

  it('passes an argument array (no shell) and never lets git prompt for credentials', async () => {
    const dir = outside();
    // A shell alias prints the environment git ran with; the `;` in the argument reaches git as text.
    await expect(git(['-c', 'alias.pe=!printenv GIT_TERMINAL_PROMPT', 'pe'], dir)).resolves.toBe('0\n');
    await expect(git(['--version'], dir)).resolves.toMatch(/^git version \d/);
  });

  it("rejects naming the subcommand and only the first line of git's error", async () => {
    const dir = outside();
    await expect(git(['x-no-such-command'], dir)).rejects.toThrow(
      /^git x-no-such-command failed: git: 'x-no-such-command' is not a git command\. See 'git --help'\.$/,
    );
    await expect(git(['rev-parse', '--show-toplevel'], dir)).rejects.toThrow(/^git rev-parse failed: fatal: not a git repository/);
    // Leading blank lines and indentation of git's error are trimmed before its first line is taken.
    await expect(git(['-c', 'alias.e=!printf "\\n  boom\\nmore\\n" >&2; exit 3', 'e'], dir)).rejects.toThrow(/^git -c failed: boom$/);
    // No stderr: the process error's first line; no subcommand at all: an empty name.
    await expect(git([], dir)).rejects.toThrow(/^git {2}failed: Command failed: git$/);
  });

  it('refuses output over maxBuffer and kills a call that outlives timeoutMs', async () => {
    const dir = repo();
    await expect(git(['--version'], dir, 5)).rejects.toThrow(/^git --version failed: /);
    await expect(git(['--version'], dir, 64)).resolves.toMatch(/^git version/);
    // cat-file --batch waits for stdin, which git() never closes: only the timeout ends it.
    await expect(git(['cat-file', '--batch'], dir, undefined, { timeoutMs: 300 })).rejects.toThrow(
      'git cat-file failed: Command failed: git cat-file --batch',
    );
  });

  it('finds the top of the work tree from a subdirectory, and nothing outside one', async () => {
    const root = repo();
    mkdirSync(join(root, 'a/b'), { recursive: true });
    await expect(gitTopLevel(join(root, 'a/b'))).resolves.toBe(root);
    await expect(gitTopLevel(outside())).resolves.toBeUndefined();
  });

  it('reads name-status output: renames and copies by their new path, deletions dropped, empty pieces skipped', () => {
    expect(splitZ('a\0\0b c\0')).toEqual(['a', 'b c']);
    expect(splitZ('')).toEqual([]);
    const out = [
      'M',
      'a.yaml',
      'R100',
      'old.yaml',
      'new.yaml',
      'C75',
      'src.yaml',
      'copy.yaml',
      'D',
      'gone.yaml',
      'A',
      'added.yaml',
      'T',
      't.yaml',
      '',
    ];
    expect(parseNameStatus(out.join('\0'))).toEqual([
      { status: 'M', path: 'a.yaml' },
      { status: 'R', path: 'new.yaml' },
      { status: 'C', path: 'copy.yaml' },
      { status: 'A', path: 'added.yaml' },
      { status: 'T', path: 't.yaml' },
    ]);
  });

  it('lists what changed since a ref (committed, staged, in the work tree, untracked), sorted and absolute, from anywhere in the tree', async () => {
    const root = repo();
    const base = commit(root, 'base', {
      '.gitignore': 'ign.yaml\n',
      'a.yaml': POD,
      'b.yaml': POD,
      'old.yaml': POD,
      'same.yaml': POD,
      'sub/keep.yaml': POD,
    });
    commit(root, 'later', { 'b.yaml': null, 'old.yaml': null, 'new.yaml': POD, 'sub/c.yaml': POD });
    writeFileSync(join(root, 'a.yaml'), `${POD}  namespace: x\n`);
    writeFileSync(join(root, 's.yaml'), POD);
    sh(root, 'add', 's.yaml');
    writeFileSync(join(root, 'u.yaml'), POD);
    // Untracked, and sorting before every changed file: the list is sorted as a whole.
    writeFileSync(join(root, '0.yaml'), POD);
    writeFileSync(join(root, 'ign.yaml'), POD);
    const want = ['0.yaml', 'a.yaml', 'new.yaml', 's.yaml', 'sub/c.yaml', 'u.yaml'].map((p) => join(root, p));
    await expect(changedSince(base, root)).resolves.toEqual(want);
    await expect(changedSince(base, join(root, 'sub'))).resolves.toEqual(want);
    await expect(changedSince('HEAD', root)).resolves.toEqual(['0.yaml', 'a.yaml', 's.yaml', 'u.yaml'].map((p) => join(root, p)));
  });

  it('refuses an option for a ref, a ref that names no commit, and a directory outside git', async () => {
    const root = repo();
    commit(root, 'one', { 'a.yaml': POD });
    await expect(changedSince('--output=/tmp/x', root)).rejects.toThrow(/^invalid git reference: --output=\/tmp\/x$/);
    await expect(changedSince('no-such-branch', root)).rejects.toThrow(/^unknown git reference: no-such-branch$/);
    await expect(changedSince('HEAD', outside())).rejects.toThrow(/^--changed-since needs a git repository$/);
  });
});

describe('render roots: order, skipped directories, exclusion and the root', () => {
  const CHART = 'apiVersion: v2\nname: c\nversion: 1.0.0\n';

  it('are sorted whatever order the paths and the walk give them', async () => {
    const root = tree({ 'b/Chart.yaml': CHART, 'a/Chart.yaml': CHART, 'a/k/kustomization.yaml': 'resources: []\n' });
    const want = ['a/Chart.yaml', 'a/k/kustomization.yaml', 'b/Chart.yaml'];
    expect(await findRenderMarkers({ root, paths: ['b', 'a'], exclude: [] })).toEqual(want);
    expect((await collect({ root, paths: ['b', 'a'], exclude: [] })).markers).toEqual(want);
  });

  it('leave out what exclude names inside dot directories too, and a tracked node_modules', async () => {
    const root = realpathSync(tempDir('pg-collect-markers-'));
    sh(root, 'init', '-q');
    commit(root, 'init', {
      '.hidden/skip/Chart.yaml': CHART,
      '.hidden/skip/pod.yaml': POD,
      '.hidden/keep/Chart.yaml': CHART,
      'x.yaml': POD,
    });
    mkdirSync(join(root, 'node_modules/m'), { recursive: true });
    writeFileSync(join(root, 'node_modules/m/Chart.yaml'), CHART);
    sh(root, 'add', '-f', 'node_modules/m/Chart.yaml');
    sh(root, 'commit', '-q', '-m', 'tracked');
    const opts = { root, paths: ['.'], exclude: ['**/skip/**'] };
    expect(await findRenderMarkers(opts)).toEqual(['.hidden/keep/Chart.yaml']);
    const c = await collect(opts);
    expect(c.markers).toEqual(['.hidden/keep/Chart.yaml']);
    expect(c.candidates.map((x) => x.relPath)).toEqual(['.hidden/keep/Chart.yaml', 'x.yaml']);
  });

  it('never lists a chart above the root, even when a path climbs there', async () => {
    const outer = tree({ 'Chart.yaml': CHART, 'repo/in/Chart.yaml': CHART });
    const root = join(outer, 'repo');
    expect(await findRenderMarkers({ root, paths: ['..'], exclude: [] })).toEqual(['in/Chart.yaml']);
    expect((await collect({ root, paths: ['..'], exclude: [] })).markers).toEqual(['in/Chart.yaml']);
  });
});
