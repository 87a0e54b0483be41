/** The CLI contract: commands, flags, formats and exit codes (in-process and as the bundled file). */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/platform/cli.js';
import { sarifErrors } from '../helpers/sarif.js';
import { onlyRulesYaml } from '../helpers/rules.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    runAsNonRoot: true
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        privileged: true
`;
const CLEAN = POD.replace('privileged: true', 'privileged: false');

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-cli-'));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(dir, dirname(p)), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { cwd, env: {}, stdout: (t) => (out += t), stderr: (t) => (err += t), isTTY: false });
  return { code, out, err };
}

describe('podguard CLI', () => {
  it('exits 1 on errors and 0 when clean, with text grouped by file', async () => {
    // The namespace-wide IMDS check would flag both pods (no NetworkPolicy here); this test is about output shape.
    const dir = repo({ 'k8s/pod.yaml': POD, 'ok/pod.yaml': CLEAN, '.podguard.yml': onlyRulesYaml('privileged-container') });
    const bad = await cli(['scan', 'k8s'], dir);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/^k8s\/pod\.yaml\n {2}12:9 +error +privileged-container +Pod\/web container "app" runs privileged/m);
    expect(bad.out).not.toContain('How to fix');
    expect(bad.out).toMatch(
      /^Rules\n {2}1 error +privileged-container +Privileged container +https:\/\/github\.com\/podguard\/podguard\/blob\/main\/docs\/rules\/privileged-container\.md$/m,
    );
    expect(bad.out).toMatch(/in 1 Kubernetes manifest\.\n$/);
    const good = await cli(['scan', 'ok'], dir);
    expect(good.code).toBe(0);
    expect(good.out).toContain('no problems found');
  });

  it('honours --fail-on', async () => {
    const dir = repo({ 'pod.yaml': POD, '.podguard.yml': onlyRulesYaml('privileged-container') });
    expect((await cli(['scan', '--fail-on', 'never'], dir)).code).toBe(0);
    expect((await cli(['scan', '--fail-on', 'note'], dir)).code).toBe(1);
    const wrong = await cli(['scan', '--fail-on', 'critical'], dir);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('--fail-on must be one of error, warning, note, never');
  });

  it('writes JSON and SARIF to stdout and SARIF to a file', async () => {
    const dir = repo({ 'pod.yaml': POD });
    const json = JSON.parse((await cli(['scan', '--format', 'json'], dir)).out) as { findings: { ruleId: string; line: number }[] };
    expect(json.findings.find((f) => f.ruleId === 'privileged-container')?.line).toBe(12);
    const sarif = JSON.parse((await cli(['scan', '--format', 'sarif'], dir)).out) as unknown;
    expect(sarifErrors(sarif)).toEqual([]);
    await cli(['scan', '--sarif', 'out.sarif'], dir);
    expect(sarifErrors(JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8')))).toEqual([]);
  });

  it('rejects usage mistakes with exit code 2 and one clear line', async () => {
    const dir = repo({ 'pod.yaml': POD });
    const cases: [string[], RegExp][] = [
      [['scan', '--bogus'], /unknown option --bogus for podguard scan; see podguard scan --help/],
      [['scan', '--fail-onn', 'note'], /unknown option --fail-onn for podguard scan \(did you mean "--fail-on"\?\)/],
      [['init', '--forse'], /unknown option --forse for podguard init \(did you mean "--force"\?\)/],
      [['scna'], /unknown command scna \(did you mean "scan"\?\)/],
      [['rules', 'privileged-containr'], /no rule privileged-containr \(did you mean "privileged-container"\?\)/],
      [
        ['scan', '--kubernetes-version', '2.0'],
        /--kubernetes-version must be a Kubernetes version such as 1\.34 or 1\.34\.2 \(got "2\.0"\)/,
      ],
      [['scan', 'missing-dir'], /path not found: missing-dir/],
      [['scan', '--format', 'xml'], /--format must be one of text, json, sarif, junit, gitlab/],
      [['frobnicate'], /unknown command frobnicate \(expected scan, rules, init, policy or version/],
      [['scan', '--config', 'nope.yml'], /configuration file not found: nope\.yml/],
      [['scan', '--threads', '0'], /--threads must be a whole number from 1 to 16 \(got "0"\)/],
      [['scan', '--threads', 'many'], /--threads must be a whole number/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args, dir);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
      expect(r.err).toMatch(message);
    }
  });

  it('reports a bad configuration file naming the file and key, exit 2', async () => {
    const dir = repo({ 'pod.yaml': POD, '.podguard.yml': 'rules:\n  run-as-root: loud\nfrobs: 1\n' });
    const r = await cli(['scan'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('.podguard.yml');
    expect(r.err).toContain('unknown key "frobs"');
    expect(r.err).toContain('"rules.run-as-root"');
  });

  it('lists every rule with its level', async () => {
    const r = await cli(['rules'], ROOT);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^privileged-container +error +A container sets securityContext\.privileged: true/m);
  });

  it('scans only files changed since a git ref with --changed-since', async () => {
    const dir = repo({ 'a/pod.yaml': POD });
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'add', '.');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'base');
    writeFileSync(join(dir, 'b.yaml'), POD.replace('name: web', 'name: new'));
    const r = await cli(['scan', '--changed-since', 'HEAD', '--format', 'json'], dir);
    const files = (JSON.parse(r.out) as { findings: { file: string }[] }).findings.map((f) => f.file);
    expect([...new Set(files)]).toEqual(['b.yaml']);
    const bad = await cli(['scan', '--changed-since', 'no-such-ref'], dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown git reference: no-such-ref');
  });

  it('runs as the bundled dist/cli.js without node_modules', () => {
    const dir = repo({ 'pod.yaml': POD });
    const lonely = mkdtempSync(join(tmpdir(), 'pg-bundle-'));
    copyFileSync(join(ROOT, 'dist', 'cli.js'), join(lonely, 'cli.js'));
    const r = spawnSync(process.execPath, [join(lonely, 'cli.js'), 'scan', '.'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('privileged-container');
    const v = spawnSync(process.execPath, [join(lonely, 'cli.js'), '--version'], { encoding: 'utf8' });
    expect(v.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('checks files on worker threads with --threads, with the same output as one thread', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`k8s/pod-${i}.yaml`] = POD.replace('name: web', `name: web-${i}`);
    const dir = repo(files);
    const bundle = mkdtempSync(join(tmpdir(), 'pg-bundle-'));
    for (const f of ['cli.js', 'worker.js']) copyFileSync(join(ROOT, 'dist', f), join(bundle, f));
    const run = (threads: string) =>
      spawnSync(process.execPath, [join(bundle, 'cli.js'), 'scan', '.', '--format', 'sarif', '--threads', threads, '--debug'], {
        cwd: dir,
        encoding: 'utf8',
      });
    const one = run('1');
    const two = run('2');
    expect(one.stderr).toMatch(/^podguard: checked 40 files in \d+\.\d s on 1 thread\n$/);
    expect(two.stderr).toMatch(/^podguard: checked 40 files in \d+\.\d s on 2 threads\n$/);
    // Everything but the run's clock times (SARIF invocations) is identical.
    const untimed = (text: string): string => text.replace(/"(start|end)TimeUtc":"[^"]*"/g, '"$1TimeUtc":""');
    expect([two.status, untimed(two.stdout)]).toEqual([one.status, untimed(one.stdout)]);
    expect(one.stdout).toContain('privileged-container');
  });
});
