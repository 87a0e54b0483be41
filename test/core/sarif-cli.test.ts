/**
 * The CLI's SARIF and baselines from anywhere in a repository: paths relative to the git top
 * level, never `../`, the same baseline from the root and from a subfolder; the bundled CLI's
 * SARIF valid for the schema, GitHub's rules and Microsoft's multitool.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/platform/cli.js';
import { commit, sh, tempDir } from '../helpers/git.js';
import { githubProblems, multitoolAvailable, multitoolProblems, sarifErrors } from '../helpers/sarif.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');

const POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n';

function gitRepo(): string {
  const dir = tempDir('pg-sarif-cli-');
  sh(dir, 'init', '-q', '-b', 'main');
  commit(dir, 'init', { 'apps/web/k8s/pod.yaml': POD, 'apps/web/Dockerfile': 'FROM nginx\n', 'README.md': '# x\n' });
  return dir;
}

async function cli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await runCli(args, { cwd, env, stdout: () => undefined, stderr: (t) => (err += t), isTTY: false });
  return { code, err };
}

type Log = { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
const uris = (log: Log): string[] => log.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);

describe('CLI SARIF and baselines from a subfolder', () => {
  it('writes repository-relative URIs and the same baseline wherever it runs', async () => {
    const top = gitRepo();
    const out = tempDir('pg-sarif-out-');
    await cli(['scan', 'apps', '--sarif', join(out, 'root.sarif'), '--write-baseline', join(out, 'root.json')], top);
    await cli(['scan', '.', '--sarif', join(out, 'sub.sarif'), '--write-baseline', join(out, 'sub.json')], join(top, 'apps', 'web'));
    mkdirSync(join(top, 'docs'));
    await cli(['scan', '../apps/web', '--sarif', 'side.sarif'], join(top, 'docs'));
    const root = JSON.parse(readFileSync(join(out, 'root.sarif'), 'utf8')) as Log;
    const side = JSON.parse(readFileSync(join(top, 'docs', 'side.sarif'), 'utf8')) as Log;
    expect(uris(root).length).toBeGreaterThan(1);
    expect(new Set(uris(root))).toEqual(new Set(['apps/web/Dockerfile', 'apps/web/k8s/pod.yaml']));
    expect(uris(JSON.parse(readFileSync(join(out, 'sub.sarif'), 'utf8')) as Log)).toEqual(uris(root));
    expect(uris(side)).toEqual(uris(root));
    expect(readFileSync(join(out, 'sub.json'), 'utf8')).toBe(readFileSync(join(out, 'root.json'), 'utf8'));
    // The baseline written from the subfolder applies from the root.
    const again = await cli(['scan', 'apps', '--baseline', join(out, 'sub.json')], top);
    expect(again.code).toBe(0);
  });

  it('the bundled CLI writes SARIF that the schema, GitHub rules and the multitool accept, with provenance', () => {
    const top = gitRepo();
    const sha = sh(top, 'rev-parse', 'HEAD');
    const file = join(tempDir('pg-sarif-bundle-'), 'cli.sarif');
    const r = spawnSync(process.execPath, [CLI, 'scan', '.', '--sarif', file, '--fail-on', 'never'], {
      cwd: join(top, 'apps'),
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', GITHUB_REPOSITORY: 'octo/shop', GITHUB_SHA: sha, GITHUB_REF: 'refs/heads/main' },
    });
    expect(r.status).toBe(0);
    const text = readFileSync(file, 'utf8');
    const log = JSON.parse(text) as Log & { runs: Record<string, unknown>[] };
    expect(sarifErrors(log)).toEqual([]);
    expect(githubProblems(text)).toEqual([]);
    expect(log.runs[0]!.versionControlProvenance).toEqual([
      { repositoryUri: 'https://github.com/octo/shop', revisionId: sha, branch: 'refs/heads/main', mappedTo: { uriBaseId: '%SRCROOT%' } },
    ]);
    expect((log.runs[0]!.invocations as { startTimeUtc?: string }[])[0]!.startTimeUtc).toMatch(/Z$/);
    if (multitoolAvailable()) expect(multitoolProblems([file])).toEqual([]);
  });

  it('gives a changed-files SARIF its own category', async () => {
    const top = gitRepo();
    const file = join(tempDir('pg-sarif-changed-'), 'c.sarif');
    await cli(['scan', '--changed-since', 'HEAD', '--sarif', file], top);
    expect((JSON.parse(readFileSync(file, 'utf8')) as { runs: { automationDetails: unknown }[] }).runs[0]!.automationDetails).toEqual({
      id: 'podguard/changed-files/',
    });
  });
});
