/** Text output (layout, --explain, baselines, colours, CI folding), CLI help and the JUnit and GitLab reports. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { scan } from '../../src/engine.js';
import type { ScanResult } from '../../src/engine.js';
import { runCli } from '../../src/platform/cli.js';
import { junitText } from '../../src/report/junit.js';
import { gitlabText } from '../../src/report/gitlab.js';
import { toText, useColor, writeText } from '../../src/report/text.js';
import { ALL_RULES } from '../../src/rules/index.js';
import type { Rule } from '../../src/rule.js';
import { parseXml } from '../helpers/xml.js';
import { onlyRulesYaml } from '../helpers/rules.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

const pod = (name: string, privileged = true): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  securityContext:
    runAsNonRoot: true
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        privileged: ${privileged}
`;

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-out-'));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(dir, dirname(p)), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}

async function cli(args: string[], cwd: string, env: Record<string, string> = {}, isTTY = false) {
  let out = '';
  let err = '';
  const code = await runCli(args, { cwd, env, stdout: (t) => (out += t), stderr: (t) => (err += t), isTTY });
  return { code, out, err };
}

/** A rule with fixed texts, so the snapshots follow the layout and not the rule catalogue. */
const FIXED: Rule = {
  meta: {
    ...ALL_RULES.find((r) => r.meta.id === 'privileged-container')!.meta,
    id: 'test-privileged',
    title: 'Test privileged',
    description: 'Finds privileged: true.',
    why: 'A privileged container is root on the node.',
    fix: 'Set it to false:\n\n```yaml\nprivileged: false\n```',
    fixByFormat: {},
    messages: { found: '{name} is privileged.' },
    system: false,
  },
  check(file, ctx) {
    for (const m of file.source.text.matchAll(/privileged: true/g)) {
      ctx.report({ messageId: 'found', data: { name: file.source.path }, at: file.source.lines.range(m.index, m.index + m[0].length) });
    }
  },
};

async function fixedScan(files: Record<string, string>): Promise<ScanResult> {
  const root = repo(files);
  return scan({ root, rules: [FIXED, ...ALL_RULES.filter((r) => r.meta.system)] });
}

describe('text output', () => {
  it('groups findings by file, then tallies rules with title and doc link (snapshot)', async () => {
    const result = await fixedScan({ 'k8s/a.yaml': pod('a'), 'k8s/b.yaml': pod('b'), 'ok.yaml': pod('c', false) });
    expect(toText(result)).toMatchSnapshot();
  });

  it('adds why and fix per rule with --explain (snapshot)', async () => {
    const result = await fixedScan({ 'k8s/a.yaml': pod('a') });
    expect(toText(result, { color: false, explain: true })).toMatchSnapshot();
  });

  it('prints the default CLI output compactly: no why/fix blocks, one line per rule (snapshot)', async () => {
    const dir = repo({ 'k8s/pod.yaml': pod('web'), '.podguard.yml': onlyRulesYaml('privileged-container') });
    const r = await cli(['scan', 'k8s'], dir);
    expect(r.out).not.toContain('Why:');
    expect(r.out).toMatchSnapshot();
    const explained = await cli(['scan', 'k8s', '--explain'], dir);
    expect(explained.out).toContain('How to fix\n  privileged-container: Privileged container (error)\n');
    expect(explained.out).toContain('    Why: ');
    expect(explained.out.split('\n').length).toBeGreaterThan(r.out.split('\n').length + 5);
  });

  it('says plainly when there was nothing to check', async () => {
    const dir = repo({ 'README.md': '# nothing\n' });
    const r = await cli(['scan', '--allow-empty'], dir);
    expect(r.out).toBe('podguard: no Kubernetes manifest, Dockerfile, compose or ACI file found to check.\n');
    expect(r.out).not.toContain('in no ');
  });

  it('hides baselined findings behind a count; --show-baselined lists them', async () => {
    const dir = repo({ 'a.yaml': pod('a'), 'b.yaml': pod('b'), '.podguard.yml': onlyRulesYaml('privileged-container') });
    expect((await cli(['scan', '--write-baseline', 'base.json'], dir)).code).toBe(0);
    writeFileSync(join(dir, 'c.yaml'), pod('c'));
    const r = await cli(['scan', '--baseline', 'base.json'], dir);
    expect(r.out).toContain('c.yaml');
    expect(r.out).not.toMatch(/^a\.yaml$/m);
    expect(r.out).toMatch(
      /podguard: 1 problem \(1 error, 0 warnings, 0 notes\) in 3 Kubernetes manifests; 2 known from the baseline \(hidden; --show-baselined lists them\)\.\n$/,
    );
    const shown = await cli(['scan', '--baseline', 'base.json', '--show-baselined'], dir);
    expect(shown.out).toMatch(/^a\.yaml\n.*\(baseline\)$/m);
    expect(shown.out).toContain('2 known from the baseline (notes, not gating)');
  });

  it('colours on a TTY, never off one unless FORCE_COLOR says so; NO_COLOR and --no-color turn them off', async () => {
    expect(useColor({}, true)).toBe(true);
    expect(useColor({}, false)).toBe(false);
    expect(useColor({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(useColor({ FORCE_COLOR: '0' }, true)).toBe(false);
    expect(useColor({ NO_COLOR: '1' }, true)).toBe(false);
    expect(useColor({ NO_COLOR: '' }, true)).toBe(true);
    expect(useColor({ FORCE_COLOR: '1' }, true, true)).toBe(false);
    const dir = repo({ 'a.yaml': pod('a'), '.podguard.yml': onlyRulesYaml('privileged-container') });
    expect((await cli(['scan'], dir, { FORCE_COLOR: '1' })).out).toContain('\u001b[31merror');
    expect((await cli(['scan'], dir, {})).out).not.toContain('\u001b[');
    expect((await cli(['scan'], dir, { NO_COLOR: '1' }, true)).out).not.toContain('\u001b[');
  });

  it('folds long finding lists in GitHub and Azure logs, and only there', async () => {
    const files: Record<string, string> = { '.podguard.yml': onlyRulesYaml('privileged-container') };
    for (let i = 0; i < 12; i++) files[`k/p${i}.yaml`] = pod(`p${i}`);
    const dir = repo(files);
    const gh = (await cli(['scan'], dir, { GITHUB_ACTIONS: 'true' })).out;
    expect(gh).toMatch(/^::group::podguard: 12 findings in 12 files\n[\s\S]*^::endgroup::\nRules\n/m);
    const az = (await cli(['scan'], dir, { TF_BUILD: 'True' })).out;
    expect(az).toMatch(/^##\[group\]podguard: 12 findings in 12 files\n[\s\S]*^##\[endgroup\]\n/m);
    const plain = (await cli(['scan'], dir)).out;
    expect(plain).not.toMatch(/::group::|##\[group\]/);
    // A short list stays unfolded.
    const small = repo({ 'a.yaml': pod('a'), '.podguard.yml': onlyRulesYaml('privileged-container') });
    expect((await cli(['scan'], small, { GITHUB_ACTIONS: 'true' })).out).not.toContain('::group::');
  });

  it('sends every line through the sink: a file name cannot start a workflow command', async () => {
    const result = await fixedScan({ 'a.yaml': pod('a') });
    const lines: string[] = [];
    writeText(result, { color: false }, { line: (t) => void lines.push(t) });
    expect(lines.join('\n')).toBe(toText(result).slice(0, -1));
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
  });
});

describe('the command line', () => {
  const dir = repo({
    'k8s/a.yaml': pod('a'),
    'k8s/sub/b.yaml': pod('b'),
    'other/c.yaml': pod('c'),
    '.podguard.yml': onlyRulesYaml('privileged-container'),
  });

  it.each([
    [['scan', '--help'], /^podguard .*\n\nUsage: podguard scan \[PATH\|GLOB\.\.\.\] \[options\]/],
    [['init', '--help'], /Usage: podguard init \[FILE\] \[--force\]/],
    [['rules', '--help'], /Usage: podguard rules \[RULE-ID\] \[--format text\|json\|markdown\]/],
    [['help', 'scan'], /Usage: podguard scan/],
    [['version', '--help'], /Usage: podguard version/],
  ])("%j prints that command's help", async (args, pattern) => {
    const r = await cli(args, dir);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toMatch(pattern);
  });

  it('prints the version as a command and a flag', async () => {
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    expect((await cli(['version'], dir)).out).toBe(`${version}\n`);
    expect((await cli(['--version'], dir)).out).toBe(`${version}\n`);
  });

  it('scans globs as the Action does', async () => {
    const r = await cli(['scan', 'k8s/**/*.yaml', '--format', 'json'], dir);
    expect((JSON.parse(r.out) as { findings: { file: string }[] }).findings.map((f) => f.file)).toEqual(['k8s/a.yaml', 'k8s/sub/b.yaml']);
    const one = await cli(['scan', '**/c.yaml', '--format', 'json'], dir);
    expect((JSON.parse(one.out) as { findings: { file: string }[] }).findings.map((f) => f.file)).toEqual(['other/c.yaml']);
  });

  it('accepts a patch version and warns about a target newer than its data', async () => {
    const ok = await cli(['scan', '--kubernetes-version', '1.30.2', '--format', 'json'], dir);
    expect([ok.code, ok.err]).toEqual([1, '']);
    const newer = await cli(['scan', '--kubernetes-version', 'v1.40.0', '--format', 'json'], dir);
    expect(newer.code).toBe(1);
    expect(newer.err).toBe(
      'podguard: warning: --kubernetes-version: podguard knows API removals up to Kubernetes 1.34; removals in later releases are not checked (update podguard)\n',
    );
  });

  it('explains one rule and lists rules as JSON or Markdown', async () => {
    const one = await cli(['rules', 'privileged-container'], dir);
    expect(one.out).toMatch(/^privileged-container: Privileged container \(error\)\n/);
    expect(one.out).toContain('    Why: ');
    expect(one.out).toContain('    Docs: https://github.com/podguard/podguard/blob/main/docs/rules/privileged-container.md\n');
    const json = JSON.parse((await cli(['rules', '--format', 'json'], dir)).out) as { id: string; docs: string }[];
    expect(json.map((r) => r.id)).toEqual(ALL_RULES.map((r) => r.meta.id));
    expect(JSON.parse((await cli(['rules', 'run-as-root', '--format', 'json'], dir)).out).id).toBe('run-as-root');
    const md = (await cli(['rules', '--format', 'markdown'], dir)).out;
    expect(md.split('\n')[0]).toBe('| Rule | Level | Title | Description |');
    expect(md.trim().split('\n')).toHaveLength(ALL_RULES.length + 2);
  });

  it('suggests the rule a suppression meant', async () => {
    const d = repo({
      'a.yaml': pod('a').replace('privileged: true', 'privileged: true # podguard-ignore privileged-containr -- typo'),
      '.podguard.yml': onlyRulesYaml('privileged-container', 'invalid-suppression'),
    });
    const r = await cli(['scan', '--format', 'json'], d);
    const messages = (JSON.parse(r.out) as { findings: { ruleId: string; message: string }[] }).findings
      .filter((f) => f.ruleId === 'invalid-suppression')
      .map((f) => f.message);
    expect(messages).toEqual([
      'This podguard-ignore comment names "privileged-containr", which is not a podguard rule (did you mean "privileged-container"?) (see podguard rules).',
    ]);
  });

  it.each(['text', 'json', 'sarif', 'junit', 'gitlab'])('ends quietly when a pipe into head closes (%s)', (format) => {
    const files: Record<string, string> = { '.podguard.yml': onlyRulesYaml('privileged-container') };
    for (let i = 0; i < 400; i++) files[`k/p${i}.yaml`] = pod(`p${i}`);
    const big = repo(files);
    const run = spawnSync(
      'sh',
      ['-c', `node "${CLI}" scan --format ${format} . | head -c 200 >/dev/null; echo "status=\${PIPESTATUS:-x}"`],
      {
        cwd: big,
        encoding: 'utf8',
      },
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('status=');
  });
});

describe('CI reports', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const junitSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'test', 'schemas', 'junit.schema.json'), 'utf8')));
  const gitlabSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'test', 'schemas', 'gitlab-codequality.schema.json'), 'utf8')));

  async function mixed(): Promise<ScanResult> {
    const dir = repo({
      'k8s/a&<b>.yaml': pod('a'),
      'k8s/root.yaml': pod('r', false).replace('    runAsNonRoot: true\n', ''),
      '.podguard.yml': onlyRulesYaml('privileged-container', 'run-as-root', 'capabilities-not-dropped'),
    });
    return scan({ root: dir });
  }

  it('writes JUnit XML that is well-formed and has the documented shape, failing at the gate', async () => {
    const result = await mixed();
    const xml = junitText(result, 'error');
    const tree = parseXml(xml);
    expect([junitSchema(tree), junitSchema.errors ?? []]).toEqual([true, []]);
    const suites = tree.children;
    expect(suites.map((s) => s.attrs.name)).toEqual(['k8s/a&<b>.yaml', 'k8s/root.yaml']);
    const cases = suites.flatMap((s) => s.children.map((c) => [s.attrs.name, c.attrs.name, c.children[0]?.name]));
    expect(cases).toEqual([
      ['k8s/a&<b>.yaml', 'capabilities-not-dropped: Capabilities not dropped', 'system-out'],
      ['k8s/a&<b>.yaml', 'privileged-container: Privileged container', 'failure'],
      ['k8s/root.yaml', 'capabilities-not-dropped: Capabilities not dropped', 'system-out'],
      ['k8s/root.yaml', 'run-as-root: Container may run as root', 'failure'],
    ]);
    expect(tree.attrs).toMatchObject({ tests: '4', failures: '2' });
    const strict = parseXml(junitText(result, 'warning'));
    expect(strict.attrs).toMatchObject({ tests: '4', failures: '4' });
    expect(parseXml(junitText(result, 'never')).attrs).toMatchObject({ failures: '0' });
  });

  it('writes a JUnit file with one passing case when nothing is found', async () => {
    const dir = repo({ 'ok.yaml': pod('ok', false), '.podguard.yml': onlyRulesYaml('privileged-container') });
    const tree = parseXml(junitText(await scan({ root: dir }), 'error'));
    expect([junitSchema(tree), junitSchema.errors ?? []]).toEqual([true, []]);
    expect(tree.attrs).toMatchObject({ tests: '1', failures: '0' });
  });

  it('writes GitLab Code Quality JSON in the documented shape, with unique fingerprints', async () => {
    const result = await mixed();
    const issues = JSON.parse(gitlabText(result)) as {
      check_name: string;
      fingerprint: string;
      severity: string;
      location: { path: string };
    }[];
    expect([gitlabSchema(issues), gitlabSchema.errors ?? []]).toEqual([true, []]);
    expect(issues.map((i) => [i.location.path, i.check_name, i.severity]).sort()).toEqual([
      ['k8s/a&<b>.yaml', 'capabilities-not-dropped', 'major'],
      ['k8s/a&<b>.yaml', 'privileged-container', 'critical'],
      ['k8s/root.yaml', 'capabilities-not-dropped', 'major'],
      ['k8s/root.yaml', 'run-as-root', 'critical'],
    ]);
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
    expect(JSON.parse(gitlabText(await scan({ root: repo({ 'README.md': 'x' }) })))).toEqual([]);
  });

  it('writes --junit and --gitlab files beside the text output', async () => {
    const dir = repo({ 'a.yaml': pod('a'), '.podguard.yml': onlyRulesYaml('privileged-container') });
    const r = await cli(['scan', '--junit', 'out.xml', '--gitlab', 'cq.json'], dir);
    expect(r.code).toBe(1);
    expect(parseXml(readFileSync(join(dir, 'out.xml'), 'utf8')).attrs.failures).toBe('1');
    expect(gitlabSchema(JSON.parse(readFileSync(join(dir, 'cq.json'), 'utf8')))).toBe(true);
    expect((await cli(['scan', '--format', 'junit'], dir)).out).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
  });
});
