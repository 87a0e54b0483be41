/**
 * Each attack of a hostile pull request, run through the BUILT faces as the runner and the agent
 * run them: dist/action.js with the runner's environment, task/dist/index.js with the agent's,
 * and dist/cli.js. The safe outcome: no output line starts a command except podguard's own, no
 * file outside is written, no runner file is read into the log.
 */
import { execFile } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pullRequestRepo, sh, shallowCheckout, tempDir } from '../helpers/git.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ACTION = join(ROOT, 'dist', 'action.js');
const TASK = join(ROOT, 'task', 'dist', 'index.js');
const CLI = join(ROOT, 'dist', 'cli.js');

const RUNNER_SECRET = 'npm_RunnerOnlyToken0123456789abcdefABCDEF';

/** Names and values a pull request author writes to forge commands. */
const FORGED_NAMES = [
  'a\n::error file=README.md,line=1::forged by name',
  'b\r::add-mask::podguard',
  'c\u2028::stop-commands::tok123',
  'd\u0085::warning::forged nel',
  'e ##vso[task.setvariable variable=pwned]yes',
  'f #\u200b#vso[task.setvariable variable=pwned2]yes',
  '  ::error::forged after spaces',
  '##[error]forged format',
];

const yamlString = (s: string): string => JSON.stringify(s);

function hostilePod(i: number, name: string): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${yamlString(name)}`,
    'spec:',
    '  containers:',
    `    - name: ${yamlString(name)}`,
    `      image: ${yamlString(`nginx:1.27${name}`)}`,
    '      env:',
    `        - name: ${yamlString(`X${i}${name}`)}`,
    '          value: "1"',
    '      securityContext:',
    '        privileged: true',
    '',
  ].join('\n');
}

/** The pull request: forged names in manifests, and a file whose name is a workflow command. */
function hostileRepo(): { ws: string; payload: unknown; baseSha: string; headSha: string } {
  const head: Record<string, string> = {
    '::error file=README.md::x.yaml': hostilePod(99, 'plain'),
    // A privileged Pod in a file whose name would once have skipped it.
    'values-prod.yaml': hostilePod(98, 'values'),
    '.github/workflows/deploy.yml': hostilePod(97, 'workflow'),
  };
  FORGED_NAMES.forEach((n, i) => (head[`k8s/pod-${i}.yaml`] = hostilePod(i, n)));
  const pr = pullRequestRepo({ base: { 'README.md': '# shop\n', 'k8s/keep.txt': 'x\n' }, head });
  const ws = shallowCheckout(pr.origin, 'refs/pull/1/merge');
  const payload = {
    action: 'synchronize',
    number: 1,
    pull_request: {
      number: 1,
      changed_files: Object.keys(head).length,
      base: { ref: 'main', sha: pr.baseSha },
      head: { ref: 'feature', sha: pr.headSha },
    },
    repository: { full_name: 'octo/shop' },
  };
  return { ws, payload, baseSha: pr.baseSha, headSha: pr.headSha };
}

/** Lines as the runner and the agent split them, and as a web log view might. */
const outputLines = (text: string): string[] => text.split(/\r\n|[\n\r\u2028\u2029\u0085]/);
/** What .NET's Trim() removes, and the ignorable characters an ICU search skips. */
const trimStart = (l: string): string => l.replace(/^[\s\u0085]+/u, '');
const withoutIgnorables = (l: string): string => l.replace(/[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/gu, '');

/** GitHub commands podguard issues itself (annotations carry its title; messages start with "podguard"). */
const OWN_GITHUB =
  /^::(?:(?:error|warning|notice) title=podguard%3A [^,]+,file=|(?:error|warning|notice)::podguard|debug::|add-mask::|group::podguard: |endgroup::$)/;
/** Azure commands podguard issues itself. */
const OWN_AZURE =
  /^(?:##vso\[(?:task\.(?:debug|logissue|complete|uploadsummary|setsecret|issue)|artifact\.upload)[ \]]|##vso\[task\.setvariable variable=(?:errors|warnings|notes|findings|sarifFile);isOutput=true;issecret=false;\](?:\d+|\/[^\s]*)$|##\[group\]podguard: |##\[endgroup\]$)/;

function forgedLines(stdout: string): string[] {
  const bad: string[] = [];
  for (const raw of outputLines(stdout)) {
    const line = trimStart(raw);
    if (line.startsWith('::') && !OWN_GITHUB.test(line)) bad.push(raw);
    const flat = withoutIgnorables(raw);
    const own = OWN_AZURE.test(raw) ? raw.indexOf(']') + 1 : 0;
    if (/##(?:vso)?\[/i.test(flat.slice(own))) bad.push(raw);
    if (flat.startsWith('##') && !OWN_AZURE.test(raw)) bad.push(raw);
  }
  return bad;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(script: string, cwd: string, env: Record<string, string>, args: string[] = []): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [script, ...args],
      { cwd, env: { PATH: process.env.PATH ?? '', HOME: tempDir('pg-home-'), ...env }, encoding: 'utf8', maxBuffer: 64 << 20 },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 99) : 0, stdout, stderr }),
    );
  });
}

async function action(ws: string, payload: unknown, inputs: Record<string, string> = {}): Promise<Run & { summary: string }> {
  const runner = tempDir('pg-runner-');
  const files = { output: join(runner, 'output'), summary: join(runner, 'summary.md'), event: join(runner, 'event.json') };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  writeFileSync(files.event, JSON.stringify(payload));
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: ws,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_REPOSITORY: 'octo/shop',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9',
    GITHUB_SHA: sh(ws, 'rev-parse', 'HEAD'),
    RUNNER_TEMP: runner,
  };
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
    env[`INPUT_${k.toUpperCase()}`] = v;
  }
  const r = await run(ACTION, ws, env);
  return { ...r, summary: readFileSync(files.summary, 'utf8') };
}

async function task(ws: string, baseSha: string, headSha: string, inputs: Record<string, string> = {}): Promise<Run> {
  const temp = tempDir('pg-agent-temp-');
  const env: Record<string, string> = {
    BUILD_SOURCESDIRECTORY: ws,
    SYSTEM_DEFAULTWORKINGDIRECTORY: ws,
    AGENT_TEMPDIRECTORY: temp,
    BUILD_REASON: 'PullRequest',
    SYSTEM_PULLREQUEST_TARGETBRANCH: 'refs/heads/main',
    SYSTEM_PULLREQUEST_SOURCECOMMITID: headSha,
    BUILD_SOURCEVERSION: sh(ws, 'rev-parse', 'HEAD'),
    SYSTEM_TEAMFOUNDATIONCOLLECTIONURI: 'https://dev.azure.com/octo/',
    SYSTEM_CULTURE: 'en-US',
    INPUT_FAILON: 'error',
    INPUT_SCAN: 'changed',
  };
  void baseSha;
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return run(TASK, ws, env);
}

describe('hostile pull requests against the built faces', () => {
  it('forged names and a command-shaped file name start no command on the Action, the task or the CLI', async () => {
    const { ws, payload, baseSha, headSha } = hostileRepo();
    const a = await action(ws, payload);
    expect(a.code).toBe(1);
    expect(forgedLines(a.stdout)).toEqual([]);
    // Every forged Pod and the renamed ones were checked (the gate was not bypassed).
    expect(a.stdout).toMatch(/podguard found \d+ errors/);
    expect(a.stdout).toContain('values-prod.yaml');
    expect(a.stdout).toContain('.github/workflows/deploy.yml');
    expect(a.stdout).toContain(':\\:error file=README.md::x.yaml');
    // The job summary: one row per finding, no forged heading, link or image.
    expect(a.summary).not.toMatch(/^#+ .*forged/m);
    expect(a.summary).not.toMatch(/!\[|^\s*::/m);
    for (const line of a.summary.split('\n')) if (line.startsWith('|')) expect(line.endsWith('|')).toBe(true);

    const t = await task(ws, baseSha, headSha);
    expect(forgedLines(t.stdout)).toEqual([]);
    expect(t.stdout).toMatch(/##vso\[task\.complete result=Failed;\]podguard found/);
    // Only podguard's own output variables are set; nothing a scanned byte names.
    expect(t.stdout).not.toMatch(
      /##vso\[task\.setvariable variable=(?!(?:errors|warnings|notes|findings|sarifFile);isOutput=true;issecret=false;\])/i,
    );

    for (const format of ['text', 'json', 'sarif']) {
      const c = await run(CLI, ws, {}, ['scan', '--format', format]);
      expect([format, c.code]).toEqual([format, 1]);
      expect(forgedLines(c.stdout + c.stderr)).toEqual([]);
      if (format !== 'text') expect(() => JSON.parse(c.stdout) as unknown).not.toThrow();
    }
  }, 120_000);

  it('a .podguard.yml link to a runner file, and a podguard.sarif link, leak and overwrite nothing', async () => {
    const runnerDir = tempDir('pg-runner-home-');
    const npmrc = join(runnerDir, '.npmrc');
    writeFileSync(npmrc, `//registry.npmjs.org/:_authToken=${RUNNER_SECRET}\nprofile: ${RUNNER_SECRET}\n`);
    const victim = join(runnerDir, 'authorized_keys');
    writeFileSync(victim, 'ssh-ed25519 AAAA runner\n');

    const { ws, payload, baseSha, headSha } = hostileRepo();
    symlinkSync(npmrc, join(ws, '.podguard.yml'));
    const a = await action(ws, payload);
    expect(a.code).toBe(2);
    expect(a.stdout).toMatch(/::error::podguard: input config: .*symbolic link to a file outside the repository/);
    expect(a.stdout + a.summary).not.toContain(RUNNER_SECRET.slice(4, 20));
    const t = await task(ws, baseSha, headSha);
    expect(t.stdout).toMatch(/##vso\[task\.complete result=Failed;\]podguard: .*symbolic link to a file outside the repository/);
    expect(t.stdout).not.toContain(RUNNER_SECRET.slice(4, 20));
    const c = await run(CLI, ws, {}, ['scan']);
    expect(c.code).toBe(2);
    expect(c.stdout + c.stderr).not.toContain(RUNNER_SECRET.slice(4, 20));

    const clean = hostileRepo();
    symlinkSync(victim, join(clean.ws, 'podguard.sarif'));
    const b = await action(clean.ws, clean.payload);
    expect(b.code).toBe(1);
    expect(readFileSync(victim, 'utf8')).toBe('ssh-ed25519 AAAA runner\n');
    expect(lstatSync(join(clean.ws, 'podguard.sarif')).isSymbolicLink()).toBe(false);
  }, 120_000);

  it('scopes that leave the repository and scopes that hold nothing are input errors', async () => {
    const { ws, payload, baseSha, headSha } = hostileRepo();
    const outside = tempDir('pg-outside-');
    mkdirSync(join(outside, 'k'));
    writeFileSync(join(outside, 'k', 'leak.yaml'), hostilePod(1, RUNNER_SECRET.toLowerCase()));
    symlinkSync(join(outside, 'k'), join(ws, 'linked'));
    const a = await action(ws, payload, { paths: 'linked', scan: 'all' });
    expect(a.code).toBe(2);
    expect(a.stdout).toMatch(/::error::podguard: input paths: path outside the repository: linked/);
    expect(a.stdout).not.toContain(RUNNER_SECRET.toLowerCase().slice(4, 20));

    for (const paths of ['/etc', '../..']) {
      const t = await task(ws, baseSha, headSha, { paths, scan: 'all' });
      expect(t.stdout).toMatch(/##vso\[task\.complete result=Failed;\]podguard: input paths: path outside the repository/);
    }

    const empty = await action(ws, payload, { paths: 'docs/**', scan: 'all' });
    expect(empty.code).toBe(2);
    expect(empty.stdout).toMatch(/input paths: docs\/\*\* matches no Kubernetes, Dockerfile, compose or ACI file/);
    const allowed = await action(ws, payload, { paths: 'docs/**', scan: 'all', 'allow-empty': 'true' });
    expect(allowed.code).toBe(0);
    const cli = await run(CLI, ws, {}, ['scan', 'k8s/keep.txt']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/path checked nothing: k8s\/keep\.txt/);
  }, 120_000);

  it('a pull request that loosens its own .podguard.yml or baseline is gated by the base commit', async () => {
    const cfg = 'rules:\n  privileged-container: error\n';
    const loose = 'exclude: ["**"]\nrules:\n  privileged-container: off\n';
    const pr = pullRequestRepo({
      base: { '.podguard.yml': cfg, 'README.md': '# shop\n' },
      head: { '.podguard.yml': loose, 'k8s/new.yaml': hostilePod(1, 'new') },
    });
    const ws = shallowCheckout(pr.origin, 'refs/pull/1/merge');
    const payload = {
      number: 1,
      pull_request: { number: 1, changed_files: 2, base: { ref: 'main', sha: pr.baseSha }, head: { ref: 'feature', sha: pr.headSha } },
      repository: { full_name: 'octo/shop' },
    };
    const a = await action(ws, payload);
    expect(a.code).toBe(1);
    expect(a.stdout).toMatch(/::notice::podguard: This change modifies \.podguard\.yml: the base commit's version applies/);
    expect(a.stdout).toMatch(/::error title=podguard%3A privileged-container,file=k8s\/new\.yaml/);
    const failing = await action(ws, payload, { 'pr-config': 'fail' });
    expect(failing.code).toBe(2);
    expect(failing.stdout).toMatch(/::error::podguard: input pr-config: this change modifies \.podguard\.yml/);
    const head = await action(ws, payload, { 'pr-config': 'head', 'allow-empty': 'true' });
    expect(head.code).toBe(0);
    expect(head.stdout).toMatch(/its own version applies \(pr-config: head\)/);

    const t = await task(ws, pr.baseSha, pr.headSha);
    expect(t.stdout).toMatch(/the base commit's version applies/);
    expect(t.stdout).toMatch(/##vso\[task\.complete result=Failed;\]podguard found/);
  }, 120_000);
});
