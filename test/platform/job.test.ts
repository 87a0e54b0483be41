/**
 * The CI job behind the Action and the task: the change-source chain, the events a platform
 * adapter receives (a recording fake), the verdict, and errors that name the input at fault.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { changeScope, everything, gitChangeList, runJob, selectFiles } from '../../src/platform/job.js';
import type { JobOutputs } from '../../src/platform/job.js';
import type { ChangeStep, InputNames, JobInputs, JobPlatform, Scope } from '../../src/platform/job.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { ConfigurationError } from '../../src/types.js';
import { PRIVILEGED, ROOTISH, commit, sh, tempDir } from '../helpers/git.js';
import { workspace } from './workspace.js';

const NAMES: InputNames = {
  paths: 'the-paths',
  allowImages: 'the-images',
  allowEmpty: 'the-allow-empty',
  failOn: 'the-gate',
  prConfig: 'the-pr-config',
  sarifFile: 'the-sarif',
};

/** Only the privileged-container rule (and the engine's own rules). */
const RULES = ALL_RULES.filter((r) => r.meta.system || r.meta.id === 'privileged-container');

const repo = (files: Record<string, string>): string => workspace(files, 'pg-job-');

function inputs(root: string, over: Partial<JobInputs> = {}): JobInputs {
  const file = join(root, 'out', 'podguard.sarif');
  return {
    root,
    repoTop: root,
    paths: ['.'],
    configPath: undefined,
    allowedImages: [],
    kubernetesVersion: undefined,
    threads: undefined,
    failOn: 'error',
    allowEmpty: false,
    prConfig: 'base',
    tempDir: root,
    sarif: { file, shown: 'out/podguard.sarif', roots: [root], options: { repositoryRoot: root } },
    names: NAMES,
    rules: RULES,
    ...over,
  };
}

/** A platform that records every event as `kind:text`. */
function recorder(): JobPlatform & { events: string[] } {
  const events: string[] = [];
  const push = (kind: string) => (text: string) => void events.push(`${kind}:${text}`);
  return {
    events,
    info: push('info'),
    notice: push('notice'),
    debug: () => undefined,
    secrets: (r) => void events.push(`secrets:${r.redactor.secrets.length}`),
    scope: push('scope'),
    text: { block: push('text') },
    annotate: (r, touched) => void events.push(`annotate:${[...r.findings].map((f) => `${f.file}${touched(f) ? '*' : ''}`).join(',')}`),
    summary: (md) => void events.push(`summary:${md.split('\n')[0]}`),
    sarifWritten: push('sarif'),
    outputs: (o) => void events.push(`outputs:${o.findings}/${o.filesScanned}`),
  };
}

const kinds = (events: readonly string[]): string[] => events.map((e) => e.slice(0, e.indexOf(':')));

describe('change source', () => {
  it('takes the first step that lists the change, skipping steps that do not apply', async () => {
    const tried: string[][] = [];
    const fails: ChangeStep = async (r) => (tried.push([...r]), { reason: 'git: no base' });
    const skips: ChangeStep = async (r) => (tried.push([...r]), undefined);
    const lists: ChangeStep = async (r) => (
      tried.push([...r]),
      { files: ['a.yaml'], touched: new Map(), description: `listed after ${r[0]}` }
    );
    const scope = await changeScope({ steps: [fails, skips, lists], fallback: () => everything('never') });
    expect(scope).toMatchObject({ files: ['a.yaml'], description: 'listed after git: no base' });
    // Each step sees why the earlier ones fell back.
    expect(tried).toEqual([[], ['git: no base'], ['git: no base']]);
  });

  it('falls back to a full scan with every step’s reason, in order', async () => {
    const steps: ChangeStep[] = [async () => ({ reason: 'git failed' }), async () => ({ reason: 'the API failed' })];
    const scope = await changeScope({ steps, fallback: (why) => everything(`everything: ${why.join(' / ')}`) });
    expect(scope).toEqual({ touched: new Map(), description: 'everything: git failed / the API failed' });
  });
});

describe('runJob with a recording platform', () => {
  it('registers secrets first, then tells scope, text, SARIF, annotations, summary and outputs; fails the gate', async () => {
    const root = repo({ 'k8s/a.yaml': PRIVILEGED('a'), 'k8s/b.yaml': ROOTISH('b') });
    const p = recorder();
    const v = await runJob(inputs(root), p, everything('Scanned every file.'));
    expect(kinds(p.events)).toEqual(['secrets', 'scope', 'text', 'annotate', 'summary', 'sarif', 'outputs']);
    expect(p.events).toContain('scope:Scanned every file.');
    expect(p.events).toContain('annotate:k8s/a.yaml');
    expect(p.events).toContain('outputs:1/2');
    expect(v.failed).toBe(true);
    // The gate is named the platform's way.
    expect(v.text).toMatch(/failing at the-gate: error/);
    expect(JSON.parse(readFileSync(join(root, 'out', 'podguard.sarif'), 'utf8')).runs[0].results).toHaveLength(1);
  });

  it('gates on the change but writes SARIF for every file, marking touched findings', async () => {
    const root = repo({ 'k8s/a.yaml': PRIVILEGED('a'), 'k8s/old.yaml': PRIVILEGED('old') });
    const p = recorder();
    const change: Scope = { files: ['k8s/a.yaml'], touched: new Map([['k8s/a.yaml', [{ start: 1, end: 20 }]]]), description: 'the change' };
    const v = await runJob(inputs(root, { failOn: 'never' }), p, change);
    expect(v.failed).toBe(false);
    expect(p.events).toContain('annotate:k8s/a.yaml*');
    // The full-repository scan for SARIF registers its own secrets too.
    expect(p.events.filter((e) => e.startsWith('secrets:'))).toHaveLength(2);
    const sarif = JSON.parse(readFileSync(join(root, 'out', 'podguard.sarif'), 'utf8'));
    const uris = sarif.runs[0].results.map(
      (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
        r.locations[0]!.physicalLocation.artifactLocation.uri,
    );
    expect(uris).toEqual(['k8s/a.yaml', 'k8s/old.yaml']);
  });

  it('selects glob paths among the collected files, and names the paths input when one matches nothing', async () => {
    const root = repo({ 'k8s/a.yaml': PRIVILEGED('a'), 'other/b.yaml': PRIVILEGED('b') });
    const p = recorder();
    await runJob(inputs(root, { paths: ['k8s/*.yaml'] }), p, everything('all'));
    expect(p.events).toContain('annotate:k8s/a.yaml');
    const err = await runJob(inputs(root, { paths: ['none/*.yaml'] }), recorder(), everything('all')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as ConfigurationError).input).toBe('the-paths');
    expect((err as Error).message).toMatch(/^input the-paths: none\/\*\.yaml matches no .*set the-allow-empty: true/);
  });

  it('names the platform’s inputs in engine and SARIF errors', async () => {
    const root = repo({ 'k8s/a.yaml': PRIVILEGED('a'), 'k8s/file': 'x' });
    const missing = await runJob(inputs(root, { paths: ['gone'] }), recorder(), everything('all')).catch((e: unknown) => e);
    expect([(missing as ConfigurationError).input, (missing as Error).message]).toEqual([
      'the-paths',
      'input the-paths: path not found: gone',
    ]);
    const image = await runJob(inputs(root, { allowedImages: ['docker.io/library/nginx:1.27'] }), recorder(), everything('all')).catch(
      (e: unknown) => e,
    );
    expect((image as ConfigurationError).input).toBe('the-images');
    const base = inputs(root);
    const sarif = { ...base.sarif, file: join(root, 'k8s', 'file', 'x.sarif'), shown: 'k8s/file/x.sarif' };
    const unwritable = await runJob({ ...base, sarif }, recorder(), everything('all')).catch((e: unknown) => e);
    expect((unwritable as ConfigurationError).input).toBe('the-sarif');
    expect((unwritable as Error).message).toMatch(/^input the-sarif: cannot write k8s\/file\/x\.sarif \(/);
  });
});

describe('the files a job scans, and what it tells the platform', () => {
  it('scans a change as its listed files under the root, kept to the paths input', async () => {
    const root = repo({ 'k8s/a.yaml': PRIVILEGED('a'), 'other/b.yaml': PRIVILEGED('b') });
    const change: Scope = { files: ['k8s/a.yaml', 'other/b.yaml'], touched: new Map(), description: 'the change' };
    expect(await selectFiles(inputs(root, { paths: ['k8s'] }), change, true)).toEqual({ paths: ['.'], changedFiles: ['k8s/a.yaml'] });
  });

  it('passes plain paths as they are, and reads the paths as globs when any one is a glob', async () => {
    const root = repo({ 'k8s/a.yaml': PRIVILEGED('a'), 'other/b.yaml': PRIVILEGED('b'), 'third/c.yaml': PRIVILEGED('c') });
    expect(await selectFiles(inputs(root, { paths: ['k8s', 'other'] }), everything('all'), true)).toEqual({ paths: ['k8s', 'other'] });
    expect(await selectFiles(inputs(root, { paths: ['k8s', 'other/*.yaml'] }), everything('all'), true)).toEqual({
      paths: ['.'],
      changedFiles: ['k8s/a.yaml', 'other/b.yaml'],
    });
  });

  it('refuses a glob that matches nothing only when a match is required and empty scans are not allowed', async () => {
    const root = repo({ 'k8s/a.yaml': PRIVILEGED('a') });
    const none = ['none/*.yaml', 'k8s/*.yaml'];
    expect(await selectFiles(inputs(root, { paths: none }), everything('all'), false)).toEqual({
      paths: ['.'],
      changedFiles: ['k8s/a.yaml'],
    });
    expect(await selectFiles(inputs(root, { paths: none, allowEmpty: true }), everything('all'), true)).toEqual({
      paths: ['.'],
      changedFiles: ['k8s/a.yaml'],
    });
    await expect(selectFiles(inputs(root, { paths: none }), everything('all'), true)).rejects.toThrow(
      /^input the-paths: none\/\*\.yaml matches no /,
    );
  });

  it('refuses a path that checks nothing unless empty scans are allowed', async () => {
    const root = repo({ 'docs/README.md': '# nothing to scan\n', 'k8s/a.yaml': PRIVILEGED('a') });
    const err = await runJob(inputs(root, { paths: ['docs'] }), recorder(), everything('all')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigurationError);
    const p = recorder();
    const v = await runJob(inputs(root, { paths: ['docs'], allowEmpty: true }), p, everything('all'));
    expect(v.failed).toBe(false);
    expect(p.events).toContain('outputs:0/0');
  });

  it("marks a changed file's finding as touched only when its line is in the change", async () => {
    const root = repo({ 'k8s/a.yaml': PRIVILEGED('a') });
    const p = recorder();
    const far: Scope = { files: ['k8s/a.yaml'], touched: new Map([['k8s/a.yaml', [{ start: 100, end: 120 }]]]), description: 'elsewhere' };
    await runJob(inputs(root, { failOn: 'never' }), p, far);
    expect(p.events).toContain('annotate:k8s/a.yaml');
  });

  it('counts every level in the findings output', async () => {
    const root = repo({ 'k8s/b.yaml': ROOTISH('b') });
    let out: JobOutputs | undefined;
    const p = { ...recorder(), outputs: (o: JobOutputs) => void (out = o) };
    await runJob(inputs(root, { failOn: 'never', rules: ALL_RULES }), p, everything('all'));
    expect(out!.counts.error).toBeGreaterThan(0);
    expect(out!.counts.warning).toBeGreaterThan(0);
    expect(out!.counts.note).toBeGreaterThan(0);
    expect(out!.findings).toBe(out!.counts.error + out!.counts.warning + out!.counts.note);
  });
});

describe('a SARIF file over the upload limits', () => {
  it('tells the log how many results it left out, without the bold marks of the summary', async () => {
    const root = repo({ 'k8s/a.yaml': PRIVILEGED('a'), 'k8s/b.yaml': PRIVILEGED('b') });
    const base = inputs(root, { failOn: 'never' });
    const p = recorder();
    await runJob({ ...base, sarif: { ...base.sarif, options: { ...base.sarif.options, limits: { results: 1 } } } }, p, everything('all'));
    expect(p.events.filter((e) => e.startsWith('info:'))).toEqual([
      "info:podguard: SARIF: 1 results were uploaded; 1 (privileged-container 1) lower-priority results were left out to stay within GitHub's limits (25,000 results, 10 MB gzipped). The JSON output has every finding.",
    ]);
    const full = recorder();
    await runJob(base, full, everything('all'));
    expect(full.events.filter((e) => e.startsWith('info:'))).toEqual([]);
  });
});

describe('the change listed by git', () => {
  it('keeps only the changed files under the scan root, relative to it', async () => {
    const repoDir = tempDir('pg-job-git-');
    sh(repoDir, 'init', '-q', '-b', 'main');
    const base = commit(repoDir, 'base', { 'app/k8s/a.yaml': ROOTISH('a'), 'other/b.yaml': ROOTISH('b') });
    commit(repoDir, 'change', { 'app/k8s/a.yaml': PRIVILEGED('a'), 'other/b.yaml': PRIVILEGED('b') });
    const root = join(repoDir, 'app');
    const list = await gitChangeList(root, { cwd: root, baseSha: base });
    // other/b.yaml changed too, but lies outside the root: it is not the root's to scan.
    expect(list.files).toEqual(['k8s/a.yaml']);
    expect([...list.touched.keys()]).toEqual(['k8s/a.yaml']);
  });
});
