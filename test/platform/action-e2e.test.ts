/**
 * Runs the bundled dist/action.js with node, in the environment a GitHub runner provides, on
 * temporary repositories shaped like actions/checkout's default checkout.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pullRequestRepo, sh, shallowCheckout, tempDir } from '../helpers/git.js';
import { onlyRulesYaml } from '../helpers/rules.js';
import { githubProblems, multitoolAvailable, multitoolProblems, sarifErrors } from '../helpers/sarif.js';

const BUILT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'action.js');
// Run a copy far from node_modules: the bundle must be self-contained, as on a runner.
const ACTION = join(tempDir('pg-action-dist-'), 'action.js');
copyFileSync(BUILT, ACTION);
// The worker bundle sits beside the action, as in the published action's dist/.
copyFileSync(join(dirname(BUILT), 'worker.js'), join(dirname(ACTION), 'worker.js'));

const pod = (name: string, extra = ''): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n    - name: app\n      image: nginx:1.27\n${extra}`;
const PRIVILEGED = '      securityContext:\n        privileged: true\n';

interface Run {
  code: number;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  sarif: { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
  sarifErrors: string[];
}

/** Reads GITHUB_OUTPUT's `name<<delimiter` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]!);
    out[m[1]!] = value.join('\n');
  }
  return out;
}

async function runAction(
  workspace: string,
  event: string,
  payload: unknown,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
): Promise<Run> {
  const runner = tempDir('pg-runner-');
  const files = { output: join(runner, 'output'), summary: join(runner, 'summary.md'), event: join(runner, 'event.json') };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  writeFileSync(files.event, JSON.stringify(payload));
  const inputEnv: Record<string, string> = {};
  // The runner keeps hyphens and upper-cases the name.
  for (const [k, v] of Object.entries({
    paths: '.',
    config: '.podguard.yml',
    'fail-on': 'error',
    'sarif-file': 'podguard.sarif',
    annotations: 'true',
    summary: 'true',
    token: 'ghs_test',
    ...inputs,
  })) {
    inputEnv[`INPUT_${k.toUpperCase()}`] = v;
  }
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? runner,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_REPOSITORY: 'octo/shop',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9',
    GITHUB_SHA: sh(workspace, 'rev-parse', 'HEAD'),
    ...inputEnv,
    ...env,
  };
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile(process.execPath, [ACTION], { cwd: workspace, env: childEnv, encoding: 'utf8' }, (err, out, stderr) => {
      if (stderr) process.stderr.write(stderr);
      resolve({ code: err ? Number((err as { code?: number }).code ?? 99) : 0, stdout: out });
    });
  });
  const sarifPath = join(workspace, inputs['sarif-file'] ?? 'podguard.sarif');
  const sarif = JSON.parse(readFileSync(sarifPath, 'utf8')) as Run['sarif'];
  return {
    code,
    stdout,
    outputs: parseOutputs(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
    sarif,
    sarifErrors: sarifErrors(sarif),
  };
}

const errorLines = (stdout: string): string[] => stdout.split('\n').filter((l) => l.startsWith('::error '));

describe('dist/action.js end to end', () => {
  // These runs are about changed-file scoping, annotations, outputs and the gate: only
  // privileged-container is on (the repository's .podguard.yml, read through the default config input).
  const base = {
    '.podguard.yml': onlyRulesYaml('privileged-container'),
    'k8s/old.yaml': pod('old', PRIVILEGED),
    'k8s/edit.yaml': pod('edit'),
    'README.md': '# shop\n',
  };
  const head = { 'k8s/edit.yaml': pod('edit', PRIVILEGED), 'k8s/new.yaml': pod('new', PRIVILEGED), 'README.md': '# shop!\n' };

  it('annotates only what a pull request changed (default merge-commit checkout, depth 1)', async () => {
    const pr = pullRequestRepo({ base, head, mainLater: { 'k8s/later.yaml': pod('later', PRIVILEGED) } });
    const ws = shallowCheckout(pr.origin, 'refs/pull/1/merge');
    const payload = {
      action: 'synchronize',
      number: 1,
      pull_request: { number: 1, changed_files: 3, base: { ref: 'main', sha: pr.baseSha }, head: { ref: 'feature', sha: pr.headSha } },
      repository: { full_name: 'octo/shop' },
    };
    const r = await runAction(ws, 'pull_request', payload);
    expect(r.code).toBe(1);
    expect(errorLines(r.stdout)).toEqual([
      '::error title=podguard%3A privileged-container,file=k8s/edit.yaml,line=12,endLine=12,col=9,endColumn=24::Pod/edit container "app" runs privileged: it has full access to the host.%0AHow to fix: https://github.com/podguard/podguard/blob/main/docs/rules/privileged-container.md',
      '::error title=podguard%3A privileged-container,file=k8s/new.yaml,line=12,endLine=12,col=9,endColumn=24::Pod/new container "app" runs privileged: it has full access to the host.%0AHow to fix: https://github.com/podguard/podguard/blob/main/docs/rules/privileged-container.md',
    ]);
    expect(r.stdout).toContain(
      '::error::podguard found 2 errors, 0 warnings, 0 notes in 2 Kubernetes manifests; failing at fail-on: error.',
    );
    expect(r.stdout).toMatch(/--depth=2/);
    expect(r.outputs).toEqual({
      'sarif-file': join(ws, 'podguard.sarif'),
      findings: '2',
      errors: '2',
      warnings: '0',
      notes: '0',
      'files-scanned': '2',
    });
    expect(r.summary).toMatch(/^## ❌ podguard/);
    expect(r.summary).toContain(`[k8s/edit.yaml:12](https://github.com/octo/shop/blob/${pr.headSha}/k8s/edit.yaml#L12)`);
    expect(r.summary).toContain('Scanned the files this pull request added or changed');
    expect(r.summary).not.toContain('old.yaml');
    expect(r.summary).toContain('| [k8s/new.yaml:12](https://github.com/octo/shop/blob/');
    expect(r.summary).toMatch(/k8s\/edit\.yaml#L12\) ✏️ \|/);
    expect(r.sarifErrors).toEqual([]);
    expect(r.sarif.runs).toHaveLength(1);
    // The SARIF file is the full state of the repository (code scanning closes alerts an upload
    // lacks), while the gate and the annotations stay on the change.
    expect(r.sarif.runs[0]!.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri)).toEqual([
      'k8s/edit.yaml',
      'k8s/later.yaml',
      'k8s/new.yaml',
      'k8s/old.yaml',
    ]);
    const run = r.sarif.runs[0] as unknown as Record<string, unknown>;
    expect(run.versionControlProvenance).toEqual([
      { repositoryUri: 'https://github.com/octo/shop', revisionId: sh(ws, 'rev-parse', 'HEAD'), mappedTo: { uriBaseId: '%SRCROOT%' } },
    ]);
    expect(run.automationDetails).toEqual({ id: 'podguard/' });
    expect(githubProblems(readFileSync(join(ws, 'podguard.sarif'), 'utf8'))).toEqual([]);
    if (multitoolAvailable()) expect(multitoolProblems([join(ws, 'podguard.sarif')])).toEqual([]);
  });

  it('writes its category for monorepos that run podguard more than once', async () => {
    const pr = pullRequestRepo({ base, head });
    const ws = shallowCheckout(pr.origin, 'refs/heads/main');
    const r = await runAction(ws, 'push', { before: '0'.repeat(40), after: pr.baseSha }, { 'fail-on': 'never', category: 'apps/web' });
    expect((r.sarif.runs[0] as unknown as { automationDetails: unknown }).automationDetails).toEqual({ id: 'podguard/apps/web/' });
    const bad = await runAction(ws, 'push', { before: '0'.repeat(40), after: pr.baseSha }, { category: 'a b' }).catch(() => undefined);
    expect(bad?.code ?? 2).toBe(2);
  });

  it('scans everything on push with the configuration, and passes with fail-on: never', async () => {
    const pr = pullRequestRepo({
      base: { ...base, '.podguard.yml': `${onlyRulesYaml('privileged-container')}  privileged-container: warning\n` },
      head,
    });
    const ws = shallowCheckout(pr.origin, 'refs/heads/main');
    const r = await runAction(
      ws,
      'push',
      { before: '0'.repeat(40), after: pr.baseSha },
      { 'fail-on': 'never', 'sarif-file': 'reports/pg.sarif' },
    );
    expect(r.code).toBe(0);
    expect(errorLines(r.stdout)).toEqual([]);
    expect(r.stdout).toMatch(/^::warning title=podguard%3A privileged-container,file=k8s\/old.yaml,line=12,/m);
    expect(r.outputs).toMatchObject({ 'files-scanned': '2', warnings: '1', errors: '0' });
    expect(r.outputs['sarif-file']).toBe(join(ws, 'reports/pg.sarif'));
    expect(r.summary).toMatch(/^## ✅ podguard/);
    expect(r.summary).toContain('the gate is off (fail-on: never)');
  });

  it('warns instead of passing silently when pull_request_target checked out the base branch', async () => {
    const pr = pullRequestRepo({ base, head });
    const ws = shallowCheckout(pr.origin, 'refs/heads/main');
    const payload = { pull_request: { number: 1, base: { ref: 'main', sha: pr.baseSha }, head: { sha: pr.headSha } } };
    const r = await runAction(ws, 'pull_request_target', payload);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/::warning::podguard: the checked-out commit \w+ does not contain this pull request's changes/);
    expect(r.outputs['files-scanned']).toBe('0');
  });

  it('falls back to the REST API when git cannot compute the diff, and says why', async () => {
    const pr = pullRequestRepo({ base, head });
    const ws = shallowCheckout(pr.origin, 'refs/pull/1/merge');
    sh(ws, 'remote', 'remove', 'origin');
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      if (req.url?.startsWith('/repos/octo/shop/pulls/1/files')) {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(
          JSON.stringify([
            {
              filename: 'k8s/edit.yaml',
              status: 'modified',
              patch: '@@ -10,3 +10,5 @@\n     - name: app\n       image: nginx:1.27\n+      securityContext:\n+        privileged: true',
            },
            { filename: 'k8s/gone.yaml', status: 'removed' },
          ]),
        );
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"message":"Not Found"}');
      }
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const port = (server.address() as AddressInfo).port;
    try {
      const payload = { pull_request: { number: 1, changed_files: 2, base: { ref: 'main', sha: pr.baseSha }, head: { sha: pr.headSha } } };
      const r = await runAction(ws, 'pull_request', payload, {}, { GITHUB_API_URL: `http://127.0.0.1:${port}` });
      expect(requests).toEqual(['GET /repos/octo/shop/pulls/1/files?per_page=100 token ghs_test']);
      expect(r.stdout).toMatch(/git could not list the changed files: .*could not be fetched/);
      expect(errorLines(r.stdout).map((l) => /file=([^,]+)/.exec(l)?.[1])).toEqual(['k8s/edit.yaml']);
      expect(r.outputs['files-scanned']).toBe('1');
      expect(r.summary).toContain('listed by the GitHub API because git could not');
      expect(r.code).toBe(1);

      // Without a reachable API either, everything is scanned and the log says so.
      const all = await runAction(ws, 'pull_request', payload, {}, { GITHUB_API_URL: 'http://127.0.0.1:9' });
      expect(all.stdout).toMatch(
        /::warning::podguard scanned every file: git \(.*\) and the GitHub API \(.*\) could not list the changed files/,
      );
      expect(all.outputs['files-scanned']).toBe('3');
    } finally {
      server.close();
    }
  });

  const changedFiles = (r: Run): string[] => errorLines(r.stdout).map((l) => /file=([^,]+)/.exec(l)?.[1] ?? l);

  it('scans only what a push changed (scan: changed, before..after)', async () => {
    const pr = pullRequestRepo({ base, head });
    const ws = shallowCheckout(pr.origin, 'refs/pull/1/merge');
    const r = await runAction(ws, 'push', { before: pr.baseSha, after: pr.mergeSha, ref: 'refs/heads/main' }, { scan: 'changed' });
    expect(changedFiles(r)).toEqual(['k8s/edit.yaml', 'k8s/new.yaml']);
    expect(r.outputs['files-scanned']).toBe('2');
    // The scope sentence is escaped like every summary cell (Markdown shows the parentheses).
    expect(r.summary).toContain('Scanned the files this change added or changed \\(3 in the diff against');
    expect(r.code).toBe(1);
  });

  it('scans only what a merge-queue group changed against its base (merge_group)', async () => {
    const pr = pullRequestRepo({ base, head, mainLater: { 'k8s/later.yaml': pod('later', PRIVILEGED) } });
    const ws = shallowCheckout(pr.origin, 'refs/pull/1/merge');
    const payload = {
      merge_group: { base_sha: pr.baseSha, base_ref: 'refs/heads/main', head_sha: pr.mergeSha, head_ref: 'gh-readonly-queue/main/pr-1' },
    };
    const r = await runAction(ws, 'merge_group', payload, { scan: 'changed' });
    expect(changedFiles(r)).toEqual(['k8s/edit.yaml', 'k8s/new.yaml']);
    expect(r.outputs['files-scanned']).toBe('2');
    expect(r.code).toBe(1);
  });

  it('checks files on the number of threads the threads input asks for', async () => {
    const many: Record<string, string> = { '.podguard.yml': onlyRulesYaml('privileged-container') };
    for (let i = 0; i < 24; i++) many[`k8s/p${String(i).padStart(2, '0')}.yaml`] = pod(`p${i}`, i === 0 ? PRIVILEGED : '');
    const pr = pullRequestRepo({ base: many, head: { 'README.md': 'x\n' } });
    const ws = shallowCheckout(pr.origin, 'refs/heads/main');
    const debugThreads = (r: Run): string | undefined =>
      /^::debug::podguard: checked 24 files in .* on (\d+ threads?)$/m.exec(r.stdout)?.[1];
    const two = await runAction(ws, 'push', { before: '0'.repeat(40), after: pr.baseSha }, { threads: '2' });
    expect(debugThreads(two)).toBe('2 threads');
    expect(changedFiles(two)).toEqual(['k8s/p00.yaml']);
    const one = await runAction(ws, 'push', { before: '0'.repeat(40), after: pr.baseSha }, { threads: '1' });
    expect(debugThreads(one)).toBe('1 thread');
  });
});
