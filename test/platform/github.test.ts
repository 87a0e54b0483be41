import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addedLinesFromPatch } from '../../src/collect/changed.js';
import { annotationOf, annotationPlan, inPaths, runAction } from '../../src/platform/github.js';
import type { GitHubPlatform, PullFile } from '../../src/platform/github.js';
import type { ActionsCore, Annotation } from '../../src/platform/safe-core.js';
import type { Rule } from '../../src/rule.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { sh } from '../helpers/git.js';
import type { Finding, Level } from '../../src/types.js';
import { onlyRulesYaml } from '../helpers/rules.js';
import { workspace } from './workspace.js';

type Call = { fn: string; message: string; props?: Annotation };

/** A recording stand-in for @actions/core. */
function fakeCore(inputs: Record<string, string>): ActionsCore & { calls: Call[]; outputs: Record<string, string>; summaryText: string } {
  const calls: Call[] = [];
  const outputs: Record<string, string> = {};
  const core = {
    calls,
    outputs,
    summaryText: '',
    getInput: (name: string) => inputs[name] ?? '',
    setOutput: (name: string, value: string | number) => void (outputs[name] = String(value)),
    setSecret: (s: string) => void calls.push({ fn: 'setSecret', message: s }),
    setFailed: (m: string) => void calls.push({ fn: 'setFailed', message: m }),
    isDebug: () => false,
    debug: (m: string) => void calls.push({ fn: 'debug', message: m }),
    info: (m: string) => void calls.push({ fn: 'info', message: m }),
    error: (m: string, props?: Annotation) => void calls.push({ fn: 'error', message: m, props }),
    warning: (m: string, props?: Annotation) => void calls.push({ fn: 'warning', message: m, props }),
    notice: (m: string, props?: Annotation) => void calls.push({ fn: 'notice', message: m, props }),
    summary: {
      addRaw: (t: string) => ({
        write: async () => {
          core.summaryText += t;
        },
      }),
    },
  };
  return core;
}

/** The behaviour tests below are about privileged-container findings only. */
const ONLY_PRIVILEGED = { '.podguard.yml': onlyRulesYaml('privileged-container') };

/**
 * The rule set `onlyRules` leaves on, for runs where no configuration file may be present
 * (the platform's `rules` hook instead of `.podguard.yml`).
 */
const onlyRuleSet = (...ids: string[]): Rule[] => ALL_RULES.filter((r) => r.meta.system || ids.includes(r.meta.id));

const pod = (name: string, privileged: boolean, runAsUser = 1000): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  securityContext:\n    runAsUser: ${runAsUser}\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        privileged: ${privileged}\n`;

async function run(
  files: Record<string, string>,
  inputs: Record<string, string>,
  extra: Partial<GitHubPlatform> & { env?: Record<string, string> } = {},
): Promise<{ code: number; core: ReturnType<typeof fakeCore>; dir: string }> {
  const dir = workspace(files, 'pg-action-');
  const core = fakeCore(inputs);
  const code = await runAction({
    core,
    env: { GITHUB_WORKSPACE: dir, GITHUB_EVENT_NAME: 'push', ...extra.env },
    listPullFiles: extra.listPullFiles ?? (async () => []),
    rules: extra.rules,
  });
  return { code, core, dir };
}

const failed = (core: ReturnType<typeof fakeCore>): string[] => core.calls.filter((c) => c.fn === 'setFailed').map((c) => c.message);

describe('action inputs', () => {
  it.each([
    [{ 'fail-on': 'critical' }, /^podguard: input fail-on must be one of error, warning, note, never \(got "critical"\)$/],
    [{ scan: 'some' }, /input scan must be one of changed, all/],
    [{ annotations: 'yes' }, /input annotations must be true or false/],
    [{ summary: 'no' }, /input summary must be true or false/],
    [{ config: 'ci/podguard.yml' }, /input config: ci\/podguard.yml does not exist/],
    [{ config: 'k8s' }, /input config: k8s: the configuration file is not a regular file/],
    [{ 'allowed-images': 'mcr.microsoft.com/**\n  ' }, null],
    [{ 'kubernetes-version': '1.3x' }, /input kubernetes-version must be a Kubernetes version such as 1\.34 or 1\.34\.2 \(got "1\.3x"\)/],
    [{ threads: 'all' }, /input threads must be a whole number from 1 to 16 \(got "all"\)/],
    [{ threads: '2' }, null],
    [{ paths: '../elsewhere' }, /input paths: "..\/elsewhere" must be relative/],
    [{ paths: 'missing-dir' }, /input paths: path not found: missing-dir/],
    [{ 'sarif-file': 'k8s/a.yaml/x.sarif' }, /^podguard: input sarif-file: cannot write k8s\/a.yaml\/x.sarif \((ENOTDIR|EEXIST)\)$/],
  ])('%j', async (inputs, expected) => {
    const { code, core } = await run({ ...ONLY_PRIVILEGED, 'k8s/a.yaml': pod('a', false) }, inputs);
    if (expected === null) {
      expect(failed(core)).toEqual([]);
      expect(code).toBe(0);
    } else {
      expect(failed(core)).toHaveLength(1);
      expect(failed(core)[0]).toMatch(expected);
      expect(code).toBe(2);
    }
  });

  it('names the config input when the configuration is invalid, and tolerates a missing default', async () => {
    const bad = await run({ 'a.yaml': pod('a', false), '.podguard.yml': 'rules: [1\n' }, { config: '.podguard.yml' });
    expect(failed(bad.core)[0]).toMatch(/^podguard: input config: /);
    // No .podguard.yml here (that is the point), so the rule set is narrowed through the platform instead.
    const none = await run({ 'a.yaml': pod('a', false) }, { config: '.podguard.yml' }, { rules: onlyRuleSet('privileged-container') });
    expect(failed(none.core)).toEqual([]);
    expect(none.code).toBe(0);
  });
});

describe('action gate and outputs', () => {
  it('fails per fail-on and reports counts', async () => {
    const files = { ...ONLY_PRIVILEGED, 'k8s/bad.yaml': pod('bad', true), 'k8s/good.yaml': pod('good', false) };
    const gate = await run(files, {});
    expect(gate.code).toBe(1);
    expect(failed(gate.core)[0]).toMatch(/1 error.*failing at fail-on: error/);
    expect(gate.core.outputs).toEqual({
      'sarif-file': join(gate.dir, 'podguard.sarif'),
      findings: '1',
      errors: '1',
      warnings: '0',
      notes: '0',
      'files-scanned': '2',
    });
    expect(JSON.parse(readFileSync(join(gate.dir, 'podguard.sarif'), 'utf8')).runs).toHaveLength(1);
    expect(gate.core.summaryText).toMatch(/## ❌ podguard/);

    const never = await run(files, { 'fail-on': 'never', 'sarif-file': 'out/pg.sarif', annotations: 'false', summary: 'false' });
    expect(never.code).toBe(0);
    expect(failed(never.core)).toEqual([]);
    expect(never.core.calls.some((c) => c.fn === 'error')).toBe(false);
    expect(never.core.summaryText).toBe('');
    expect(never.core.outputs['sarif-file']).toBe(join(never.dir, 'out/pg.sarif'));
  });

  it('annotates with repository paths when the checkout sits below the workspace', async () => {
    const dir = workspace({ 'sub/k8s/bad.yaml': pod('bad', true) });
    sh(join(dir, 'sub'), 'init', '-q');
    const core = fakeCore({ paths: 'sub' });
    const code = await runAction({
      core,
      env: { GITHUB_WORKSPACE: dir, GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: 'c'.repeat(40) },
      listPullFiles: async () => [],
    });
    expect(code).toBe(1);
    expect(core.calls.find((c) => c.fn === 'error')?.props?.file).toBe('k8s/bad.yaml');
    expect(core.summaryText).toContain(`https://github.com/o/r/blob/${'c'.repeat(40)}/k8s/bad.yaml#L12`);
  });

  it('scans only the files matching glob paths', async () => {
    const files = { ...ONLY_PRIVILEGED, 'k8s/bad.yaml': pod('bad', true), 'other/bad.yaml': pod('bad2', true) };
    const r = await run(files, { paths: 'k8s/**/*.yaml' });
    expect(r.core.outputs['files-scanned']).toBe('1');
    expect(r.core.calls.filter((c) => c.fn === 'error').map((c) => c.props?.file)).toEqual(['k8s/bad.yaml']);
  });

  it('masks secrets before printing anything and never prints them', async () => {
    const secretRule: Rule = {
      meta: {
        ...ALL_RULES.find((r) => r.meta.id === 'privileged-container')!.meta,
        id: 'test-secret',
        kinds: ['kubernetes'],
        messages: { found: 'secret in {container}' },
      },
      check(file, ctx) {
        if (file.kind !== 'kubernetes') return;
        ctx.report({
          messageId: 'found',
          data: { container: 'c' },
          at: { start: { line: 1, column: 1 }, end: { line: 1, column: 4 } },
          secret: 'hunter2-very-secret',
        });
      },
    };
    const r = await run({ 'a.yaml': pod('a', false) }, {}, { rules: [...ALL_RULES, secretRule] });
    const first = r.core.calls.findIndex((c) => c.fn !== 'setSecret');
    expect(r.core.calls.slice(0, first)).toEqual([{ fn: 'setSecret', message: 'hunter2-very-secret' }]);
    expect(r.core.calls.filter((c) => c.message.includes('hunter2')).map((c) => c.fn)).toEqual(['setSecret']);
    expect(r.core.summaryText).toMatch(/secret in c/);
    expect(r.core.summaryText).not.toContain('hunter2');
  });

  it('uses the REST API when git cannot list the changes, and says why', async () => {
    const files = { 'k8s/bad.yaml': pod('bad', true), 'k8s/old.yaml': pod('old', true) };
    const dir0 = workspace({});
    const event = join(dir0, 'event.json');
    writeFileSync(
      event,
      JSON.stringify({
        pull_request: { number: 7, changed_files: 2, base: { sha: 'a'.repeat(40), ref: 'main' }, head: { sha: 'b'.repeat(40) } },
      }),
    );
    const calls: unknown[] = [];
    const listPullFiles = async (req: unknown): Promise<PullFile[]> => {
      calls.push(req);
      return [
        { filename: 'k8s/bad.yaml', status: 'added', patch: '@@ -0,0 +1,14 @@\n+a' },
        { filename: 'k8s/gone.yaml', status: 'removed' },
      ];
    };
    const env = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_REPOSITORY: 'o/r' };
    const r = await run(files, { token: 't0ken' }, { env, listPullFiles });
    expect(calls).toEqual([{ token: 't0ken', owner: 'o', repo: 'r', pullNumber: 7 }]);
    expect(r.core.outputs['files-scanned']).toBe('1');
    expect(r.core.summaryText).toMatch(/listed by the GitHub API because git could not: .*not inside a git work tree/);

    // Truncated listing: scan everything, with a notice.
    writeFileSync(event, JSON.stringify({ pull_request: { number: 7, changed_files: 3500, base: { ref: 'main' } } }));
    const t = await run(files, { token: 't' }, { env, listPullFiles });
    expect(t.core.outputs['files-scanned']).toBe('2');
    expect(t.core.calls.some((c) => c.fn === 'notice' && /changes 3500 files and the GitHub API lists only 2/.test(c.message))).toBe(true);

    // Both fail: scan everything, with a warning naming both reasons.
    const broken = async (): Promise<PullFile[]> => {
      throw new Error('HttpError: Resource not accessible by integration');
    };
    const b = await run(files, { token: 't' }, { env, listPullFiles: broken });
    expect(b.core.outputs['files-scanned']).toBe('2');
    expect(b.core.calls.some((c) => c.fn === 'warning' && /Resource not accessible/.test(c.message) && /git/.test(c.message))).toBe(true);
  });
});

function finding(level: Level, file: string, line: number, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId: `r-${level}`,
    messageId: 'm',
    level,
    message: `${level} at ${file}:${line}`,
    file,
    range: { start: { line, column: 3 }, end: { line, column: 9 } },
    identity: '',
    fingerprint: `${file}${line}${level}`,
    ...extra,
  };
}

describe('action log folding', () => {
  it('folds a long findings list in one group, where the log has nothing but the report inside it', async () => {
    const docs = Array.from({ length: 25 }, (_, i) => pod(`p${i}`, true)).join('---\n');
    const dir = workspace({ ...ONLY_PRIVILEGED, 'many.yaml': docs, 'one.yaml': pod('g', true) }, 'pg-action-');
    const core = fakeCore({ 'fail-on': 'never' });
    const folding = Object.assign(core, {
      startGroup: (name: string) => void core.calls.push({ fn: 'startGroup', message: name }),
      endGroup: () => void core.calls.push({ fn: 'endGroup', message: '' }),
    });
    const code = await runAction({
      core: folding,
      env: { GITHUB_WORKSPACE: dir, GITHUB_EVENT_NAME: 'push' },
      listPullFiles: async () => [],
    });
    expect(code).toBe(0);
    const groups = core.calls.filter((c) => c.fn === 'startGroup' || c.fn === 'endGroup');
    expect(groups).toEqual([
      { fn: 'startGroup', message: 'podguard: 26 findings in 2 files' },
      { fn: 'endGroup', message: '' },
    ]);
    const from = core.calls.findIndex((c) => c.fn === 'startGroup');
    const to = core.calls.findIndex((c) => c.fn === 'endGroup');
    const inside = core.calls.slice(from + 1, to);
    expect(inside.length).toBeGreaterThan(0);
    expect(inside.every((c) => c.fn === 'info')).toBe(true);
    expect(
      inside
        .map((c) => c.message)
        .join('\n')
        .match(/privileged-container/g),
    ).toHaveLength(26);
  });

  it('writes a short report without groups', async () => {
    const dir = workspace({ ...ONLY_PRIVILEGED, 'one.yaml': pod('g', true) }, 'pg-action-');
    const core = fakeCore({ 'fail-on': 'never' });
    const folding = Object.assign(core, {
      startGroup: (name: string) => void core.calls.push({ fn: 'startGroup', message: name }),
      endGroup: () => void core.calls.push({ fn: 'endGroup', message: '' }),
    });
    await runAction({ core: folding, env: { GITHUB_WORKSPACE: dir, GITHUB_EVENT_NAME: 'push' }, listPullFiles: async () => [] });
    expect(core.calls.filter((c) => c.fn === 'startGroup')).toEqual([]);
    expect(core.calls.some((c) => c.fn === 'info' && c.message.includes('privileged-container'))).toBe(true);
  });
});

describe('annotation plan', () => {
  it('emits the most severe first, touched lines first, within GitHub limits, never suppressed ones', () => {
    const findings: Finding[] = [];
    for (let i = 1; i <= 12; i++) findings.push(finding('warning', 'a.yaml', i));
    for (let i = 1; i <= 12; i++) findings.push(finding('error', 'b.yaml', i));
    for (let i = 1; i <= 12; i++) findings.push(finding('note', 'c.yaml', i));
    findings.push(finding('error', 'z.yaml', 1, { suppression: { kind: 'inSource', justification: 'ok' } }));
    findings.push(finding('error', 'z.yaml', 2, { baselined: true }));
    const touched = (f: Finding): boolean => f.file === 'b.yaml' && f.range.start.line === 12;
    const { shown, hidden } = annotationPlan(findings, touched);
    expect(shown.map((f) => f.level)).toEqual([...Array(10).fill('error'), ...Array(10).fill('warning'), ...Array(9).fill('note')]);
    expect(shown[0]!.range.start.line).toBe(12);
    expect(shown.slice(1, 10).map((f) => f.range.start.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(shown.some((f) => f.file === 'z.yaml' && f.range.start.line === 1)).toBe(false);
    expect(hidden).toBe(37 - 29);
  });

  it('passes columns only on single-line ranges, with an inclusive end column', () => {
    const one = finding('error', 'a.yaml', 4);
    expect(annotationOf(one, 'sub/a.yaml')).toEqual({
      title: 'podguard: r-error',
      file: 'sub/a.yaml',
      startLine: 4,
      endLine: 4,
      startColumn: 3,
      endColumn: 8,
    });
    const multi = finding('error', 'a.yaml', 4, { range: { start: { line: 4, column: 3 }, end: { line: 6, column: 1 } } });
    expect(annotationOf(multi, 'a.yaml')).toEqual({ title: 'podguard: r-error', file: 'a.yaml', startLine: 4, endLine: 6 });
  });

  it('emits one notice for the rest, after the annotations', async () => {
    const files: Record<string, string> = { ...ONLY_PRIVILEGED };
    for (let i = 0; i < 12; i++) files[`k8s/p${i}.yaml`] = pod(`p${i}`, true);
    const r = await run(files, {});
    const kinds = r.core.calls.filter((c) => ['error', 'warning', 'notice'].includes(c.fn));
    expect(kinds.filter((c) => c.fn === 'error')).toHaveLength(10);
    expect(kinds[kinds.length - 1]).toEqual({ fn: 'notice', message: expect.stringMatching(/^podguard: 2 more findings are not shown/) });
    expect(kinds[0]!.props).toMatchObject({ title: 'podguard: privileged-container', file: 'k8s/p0.yaml', startLine: 12 });
  });
});

describe('inPaths', () => {
  it('keeps changed files under plain paths or matching globs', () => {
    const files = ['.github/workflows/x.yml', 'k8s/a.yaml', 'k8s2/b.yaml', 'deploy/prod/c.yaml', 'Dockerfile'];
    expect(inPaths(['.'], files)).toEqual(files);
    expect(inPaths(['./k8s/'], files)).toEqual(['k8s/a.yaml']);
    expect(inPaths(['.github'], files)).toEqual(['.github/workflows/x.yml']);
    expect(inPaths(['deploy/**/*.yaml', 'Dockerfile'], files)).toEqual(['deploy/prod/c.yaml', 'Dockerfile']);
  });
});

describe('addedLinesFromPatch', () => {
  it('counts context and added lines of REST patches', () => {
    const patch = '@@ -1,3 +1,4 @@\n a\n-b\n+B\n+C\n c\n@@ -10,2 +11,2 @@\n x\n+y\n\\ No newline at end of file';
    expect(addedLinesFromPatch(patch)).toEqual([
      { start: 2, end: 3 },
      { start: 12, end: 12 },
    ]);
    expect(addedLinesFromPatch(undefined)).toEqual([]);
  });
});

describe('action kubernetes-version input', () => {
  const PDB = 'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: api\nspec:\n  minAvailable: 1\n';
  it('sets the target version of removed-api-version', async () => {
    const files = { '.podguard.yml': onlyRulesYaml('removed-api-version'), 'k8s/pdb.yaml': PDB };
    const old = await run(files, { 'kubernetes-version': '1.24' });
    const current = await run(files, {});
    const levels = (r: Awaited<ReturnType<typeof run>>): string[] =>
      r.core.calls.filter((c) => ['error', 'warning'].includes(c.fn) && c.props?.file === 'k8s/pdb.yaml').map((c) => c.fn);
    expect(levels(old)).toEqual(['warning']);
    expect(levels(current)).toEqual(['error']);
  });
});

describe('action allowed-images input', () => {
  it('reports images outside the approved patterns, and only then', async () => {
    const files = { '.podguard.yml': onlyRulesYaml('image-not-allowed'), 'k8s/a.yaml': pod('a', false) };
    const annotated = (r: Awaited<ReturnType<typeof run>>): string[] =>
      r.core.calls.filter((c) => c.props?.file === 'k8s/a.yaml').map((c) => `${c.fn}@${c.props?.startLine}`);
    expect(annotated(await run(files, {}))).toEqual([]);
    const outside = await run(files, { 'allowed-images': 'mcr.microsoft.com/**' });
    expect(annotated(outside)).toEqual(['error@10']);
    expect(outside.core.outputs.errors).toBe('1');
    expect(annotated(await run(files, { 'allowed-images': 'mcr.microsoft.com/**\ndocker.io/library/nginx' }))).toEqual([]);
  });
});
