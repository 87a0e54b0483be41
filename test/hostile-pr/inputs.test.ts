/**
 * podguard's own inputs planted by a pull request: `.podguard.yml` and the baseline as links to
 * runner files or devices, huge files, and scopes that leave the repository. Every one is an
 * input error naming the file or input, and no error quotes what the file holds.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../src/engine.js';
import { runCli } from '../../src/platform/cli.js';
import { ConfigurationError } from '../../src/types.js';

const RUNNER_SECRET = 'ghp_RunnerOnlySecretValue0123456789abcd';
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n';

/** A runner file outside the repository that must never be read into any output. */
function runnerFile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-runner-'));
  const f = join(dir, 'id_ed25519');
  writeFileSync(f, content);
  return f;
}

function repo(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'pg-pr-inputs-'));
  writeFileSync(join(root, 'pod.yaml'), POD);
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), c);
  }
  return root;
}

async function cli(root: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['scan', ...args], {
    cwd: root,
    env: {},
    isTTY: false,
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
  });
  return { code, out, err };
}

async function configError(input: Parameters<typeof scan>[0]): Promise<string> {
  try {
    await scan(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigurationError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigurationError');
}

describe('.podguard.yml planted by a pull request', () => {
  it('a link to a runner file is refused, and its content is never quoted', async () => {
    // A value that also fails validation: the old message quoted it in full.
    const target = runnerFile(`profile: ${RUNNER_SECRET}\n`);
    const root = repo();
    symlinkSync(target, join(root, '.podguard.yml'));
    const r = await cli(root);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/\.podguard\.yml: the configuration file is a symbolic link to a file outside the repository/);
    expect(r.out + r.err).not.toContain(RUNNER_SECRET.slice(4, 16));
  });

  it('a value that fails validation is described by its type, never quoted', async () => {
    const root = repo({
      '.podguard.yml': `profile: ${RUNNER_SECRET}\nexclude: ${RUNNER_SECRET}\nallowedImages:\n  - "${RUNNER_SECRET}:1"\n`,
    });
    const message = await configError({ root });
    expect(message).toMatch(/"profile" must be one of baseline, restricted \(got a string\)/);
    expect(message).not.toContain(RUNNER_SECRET.slice(4, 16));
  });

  it('/dev/zero, a FIFO and a huge file neither hang nor grow the scan', async () => {
    const root = repo();
    symlinkSync('/dev/zero', join(root, '.podguard.yml'));
    expect(await configError({ root })).toMatch(/outside the repository|not a regular file/);

    const fifoRoot = repo();
    execFileSync('mkfifo', [join(fifoRoot, '.podguard.yml')]);
    expect(await configError({ root: fifoRoot })).toMatch(/\.podguard\.yml: the configuration file is not a regular file/);

    const big = repo({ '.podguard.yml': `# ${'x'.repeat(2 << 20)}\n` });
    expect(await configError({ root: big })).toMatch(/\.podguard\.yml: the configuration file is \d+ bytes, over the limit of 1048576/);
  });

  it('a link inside the repository to another file of the repository is read', async () => {
    const root = repo({ 'conf/podguard.yml': 'profile: restricted\n' });
    symlinkSync('conf/podguard.yml', join(root, '.podguard.yml'));
    const result = await scan({ root });
    expect(result.settings.profile).toBe('restricted');
  });

  it('YAML alias and tag names in a broken configuration are not quoted', async () => {
    const root = repo({ '.podguard.yml': `profile: *${RUNNER_SECRET}\n` });
    const message = await configError({ root });
    expect(message).toMatch(/\.podguard\.yml:1: not valid YAML/);
    expect(message).not.toContain(RUNNER_SECRET.slice(4, 16));
  });
});

describe('baseline planted by a pull request', () => {
  it('a baseline: that points at a runner file is refused without quoting it', async () => {
    const target = runnerFile(`${RUNNER_SECRET}\n`);
    const root = repo({ '.podguard.yml': `baseline: ${target}\n` });
    const message = await configError({ root });
    expect(message).toMatch(/the baseline must be a file inside the repository/);
    expect(message).not.toContain(RUNNER_SECRET.slice(4, 16));
  });

  it('a baseline link out of the repository, /dev/zero, or a huge file is refused', async () => {
    const target = runnerFile(`{"x": "${RUNNER_SECRET}"}`);
    const root = repo({ '.podguard.yml': 'baseline: known.json\n' });
    symlinkSync(target, join(root, 'known.json'));
    expect(await configError({ root })).toMatch(/known\.json: the baseline is a symbolic link to a file outside the repository/);

    const zero = repo({ '.podguard.yml': 'baseline: /dev/zero\n' });
    expect(await configError({ root: zero })).toMatch(/the baseline must be a file inside the repository/);
    // Named on the command line (the user's own choice), a device is still refused.
    expect(await configError({ root: zero, baseline: '/dev/zero' })).toMatch(/the baseline is not a regular file/);

    const linkedZero = repo({ '.podguard.yml': 'baseline: z.json\n' });
    symlinkSync('/dev/zero', join(linkedZero, 'z.json'));
    expect(await configError({ root: linkedZero })).toMatch(/z\.json: the baseline is a symbolic link to a file outside/);
  });

  it('a JSON parse error does not quote the baseline', async () => {
    const root = repo({ '.podguard.yml': 'baseline: b.json\n', 'b.json': `{"findings": [${RUNNER_SECRET}]}` });
    const message = await configError({ root });
    expect(message).toBe('b.json: the baseline is not valid JSON; rewrite it with --write-baseline');
  });
});

describe('scopes that leave the repository', () => {
  it('a directory link named as a path is an input error', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'pg-outside-'));
    writeFileSync(join(outside, 'leak.yaml'), POD.replace('name: p', `name: ${RUNNER_SECRET.toLowerCase()}`));
    const root = repo();
    symlinkSync(outside, join(root, 'k8s'));
    expect(await configError({ root, paths: ['k8s'] })).toBe('path outside the repository: k8s is a symbolic link out of it');
    const r = await cli(root, 'k8s');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
  });

  it('.. and absolute paths outside the repository are input errors', async () => {
    const root = repo();
    expect(await configError({ root, paths: ['../..'] })).toBe('path outside the repository: ../..');
    expect(await configError({ root, paths: ['/etc'] })).toBe('path outside the repository: /etc');
  });
});
