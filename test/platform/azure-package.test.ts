/** The Azure DevOps extension: task.json against the official schema, and the .vsix tfx builds. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvDraft04Module from 'ajv-draft-04';
import JSZip from 'jszip';
import { BUNDLES } from '../../scripts/build.mjs';
import { packageAzure } from '../../scripts/package-azure.mjs';
import { PRIVILEGED, write } from '../helpers/git.js';
import { onlyRulesYaml } from '../helpers/rules.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (p: string): string => readFileSync(join(ROOT, p), 'utf8');
// CommonJS default export: under ts-jest ESM it may arrive wrapped in `default`.
type AjvDraft04Class = typeof AjvDraft04Module.default;
const AjvDraft04: AjvDraft04Class =
  (AjvDraft04Module as unknown as { default?: AjvDraft04Class }).default ?? (AjvDraft04Module as unknown as AjvDraft04Class);
const taskJson = JSON.parse(read('task/task.json'));
const manifest = JSON.parse(read('vss-extension.json'));
const version: string = JSON.parse(read('package.json')).version;

describe('task/task.json', () => {
  it('is valid against the Azure Pipelines task schema, with a real GUID id', () => {
    const schema = JSON.parse(read('test/schemas/tasks.schema.json'));
    const validate = new AjvDraft04({ strict: false, unicodeRegExp: false, allErrors: true }).compile(schema);
    expect([validate(taskJson), validate.errors ?? []]).toEqual([true, []]);
    expect(taskJson.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(taskJson.name).toBe('Podguard');
    expect(['Utility', 'Test']).toContain(taskJson.category);
  });

  it('runs one bundle from inside task/ on Node24 and Node20_1 (never Node20, which falls back to Node 16)', () => {
    expect(Object.keys(taskJson.execution).sort()).toEqual(['Node20_1', 'Node24']);
    const targets = new Set(Object.values(taskJson.execution as Record<string, { target: string }>).map((h) => h.target));
    expect([...targets]).toEqual(['dist/index.js']);
    expect(BUNDLES.map((b) => b.out)).toContain('task/dist/index.js');
  });

  it('declares the inputs the task reads, with the documented defaults', () => {
    const inputs = new Map<string, { type: string; defaultValue?: string }>(taskJson.inputs.map((i: { name: string }) => [i.name, i]));
    const expected: Record<string, [string, string]> = {
      paths: ['multiLine', '.'],
      config: ['filePath', ''],
      scan: ['pickList', 'changed'],
      allowedImages: ['multiLine', ''],
      failOn: ['pickList', 'error'],
      sarifFile: ['string', ''],
      publishSarif: ['boolean', 'true'],
      artifactName: ['string', 'CodeAnalysisLogs'],
      kubernetesVersion: ['string', ''],
      threads: ['string', ''],
      allowEmpty: ['boolean', 'false'],
      prConfig: ['pickList', 'base'],
    };
    expect([...inputs.keys()].sort()).toEqual(Object.keys(expected).sort());
    for (const [name, [type, def]] of Object.entries(expected)) {
      expect([name, inputs.get(name)?.type, inputs.get(name)?.defaultValue]).toEqual([name, type, def]);
    }
    // Every input the platform reads is declared (a typo would silently read nothing).
    const used = [...read('src/platform/azure.ts').matchAll(/get(?:Bool)?Input\('(\w+)'\)|pick\('(\w+)'/g)].map((m) => m[1] ?? m[2]);
    expect(new Set(used)).toEqual(new Set(inputs.keys()));
  });

  it('keeps the task and extension versions in step with package.json', () => {
    const v = taskJson.version;
    expect(`${v.Major}.${v.Minor}.${v.Patch}`).toBe(version);
    expect(manifest.version).toBe(version);
  });
});

describe('the .vsix', () => {
  let zip: JSZip;
  beforeAll(async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'pg-vsix-')), 'podguard.vsix');
    zip = await JSZip.loadAsync(readFileSync(await packageAzure(out)));
  }, 120_000);

  it('holds the manifest, icon, overview, task.json and the current bundle', async () => {
    const names = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir);
    expect(names).toEqual(
      expect.arrayContaining([
        'extension.vsixmanifest',
        'task/task.json',
        'task/dist/index.js',
        'task/dist/worker.js',
        'task/icon.png',
        'images/extension-icon.png',
        'docs/azure-overview.md',
        'LICENSE',
      ]),
    );
    expect(await zip.file('task/task.json')!.async('string')).toBe(read('task/task.json'));
    expect(await zip.file('task/dist/index.js')!.async('string')).toBe(read('task/dist/index.js'));
    expect(await zip.file('task/dist/worker.js')!.async('string')).toBe(read('task/dist/worker.js'));
    const png = await zip.file('images/extension-icon.png')!.async('nodebuffer');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const vsixManifest = await zip.file('extension.vsixmanifest')!.async('string');
    expect(vsixManifest).toContain(`Version="${version}"`);
  });

  /** Unpacks the task folder of the .vsix into a fresh agent directory; returns the agent and task paths. */
  async function unpackTask(): Promise<{ agent: string; taskDir: string }> {
    const agent = mkdtempSync(join(tmpdir(), 'pg-vsix-agent-'));
    const taskDir = join(agent, 'tasks', 'Podguard');
    for (const name of Object.keys(zip.files).filter((n) => n.startsWith('task/') && !zip.files[n]!.dir)) {
      const dest = join(taskDir, name.slice('task/'.length));
      mkdirSync(dirname(dest), { recursive: true });
      writeFileSync(dest, await zip.file(name)!.async('nodebuffer'));
    }
    return { agent, taskDir };
  }

  it('spreads a large scan over worker threads from the packaged task alone', async () => {
    const { agent, taskDir } = await unpackTask();
    const sources = join(agent, 's');
    for (let i = 0; i < 450; i++) write(sources, `k8s/pod-${i}.yaml`, PRIVILEGED(`pod-${i}`));
    write(sources, '.podguard.yml', onlyRulesYaml('privileged-container'));
    const temp = join(agent, '_temp');
    mkdirSync(temp);
    const stdout = execFileSync(process.execPath, [join(taskDir, taskJson.execution.Node24.target)], {
      cwd: sources,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        BUILD_SOURCESDIRECTORY: sources,
        AGENT_TEMPDIRECTORY: temp,
        INPUT_FAILON: 'never',
        INPUT_THREADS: '2',
      },
    });
    expect(stdout).toMatch(/##vso\[task\.debug\]podguard: checked 450 files in [0-9.]+ s on 2 threads\n/);
    expect(stdout).toContain('podguard found 450 errors, 0 warnings, 0 notes in 450 Kubernetes manifests');
  }, 120_000);

  it('has a bundle that runs as the task on its own, outside the repository', async () => {
    const { agent, taskDir } = await unpackTask();
    const sources = join(agent, 's');
    write(sources, 'k8s/pod.yaml', PRIVILEGED('pod'));
    write(sources, '.podguard.yml', onlyRulesYaml('privileged-container'));
    const temp = join(agent, '_temp');
    mkdirSync(temp);
    const stdout = execFileSync(process.execPath, [join(taskDir, taskJson.execution.Node20_1.target)], {
      cwd: sources,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        BUILD_SOURCESDIRECTORY: sources,
        AGENT_TEMPDIRECTORY: temp,
        INPUT_FAILON: 'error',
        INPUT_PUBLISHSARIF: 'true',
      },
    });
    expect(stdout).toContain(
      '##vso[task.logissue type=error;code=privileged-container;sourcepath=k8s/pod.yaml;linenumber=10;columnnumber=9;]',
    );
    expect(stdout).toContain(
      `##vso[artifact.upload containerfolder=CodeAnalysisLogs;artifactname=CodeAnalysisLogs;]${join(temp, 'podguard', 'podguard.sarif')}`,
    );
    expect(stdout).toContain(
      '##vso[task.complete result=Failed;]podguard found 1 error, 0 warnings, 0 notes in 1 Kubernetes manifest; failing at failOn: error.',
    );
  });
});
