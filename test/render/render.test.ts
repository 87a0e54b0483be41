/** Rendering Helm charts and kustomize overlays with the real tools, and mapping findings back. */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scan } from '../../src/engine.js';
import type { ScanResult } from '../../src/engine.js';
import { toSarif } from '../../src/report/sarif.js';
import { toJson } from '../../src/report/json.js';
import { toText } from '../../src/report/text.js';
import type { Finding } from '../../src/types.js';
import { noToolsEnv, renderEnv } from '../helpers/render.js';
import { Scratch, cleanEnv } from '../../src/render/tools.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** A private copy of the fixtures (tests that edit them). */
function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-render-'));
  cpSync(FIXTURES, dir, { recursive: true });
  return dir;
}

const at = (f: Finding): string => `${f.ruleId}/${f.messageId}@${f.file}:${f.range.start.line}:${f.range.start.column} ${f.level}`;
const rel = (f: Finding): string[] => (f.related ?? []).map((r) => `${r.file}:${r.range.start.line}:${r.range.start.column}`);
const find = (r: ScanResult, rule: string, file: string): Finding[] => r.findings.filter((f) => f.ruleId === rule && f.file === file);

let full: ScanResult;
beforeAll(async () => {
  full = await scan({ root: FIXTURES, threads: 1, env: renderEnv(), today: '2026-12-01' });
});

describe('Helm charts', () => {
  it('reports values-driven privileged, runAsUser: 0 and :latest on the template line, with the values line related', () => {
    const tpl = 'charts/web/templates/deployment.yaml';
    const [priv] = find(full, 'privileged-container', tpl);
    expect(at(priv!)).toBe(`privileged-container/privileged@${tpl}:21:13 error`);
    expect(rel(priv!)).toEqual(['charts/web/values.yaml:6:3']);
    const [root] = find(full, 'run-as-root', tpl).filter((f) => f.messageId === 'rootUser');
    expect(at(root!)).toBe(`run-as-root/rootUser@${tpl}:22:13 error`);
    expect(rel(root!)).toEqual(['charts/web/values.yaml:7:3']);
    const [latest] = find(full, 'image-tag', tpl).filter((f) => f.messageId === 'latest');
    expect(at(latest!).startsWith(`image-tag/latest@${tpl}:19:11`)).toBe(true);
    expect(rel(latest!)).toEqual(['charts/web/values.yaml:3:3', 'charts/web/values.yaml:4:3']);
  });

  it('maps a subchart template to the parent values that override it, and toYaml blocks to the values key below them', () => {
    const [worker] = find(full, 'privileged-container', 'charts/umbrella/charts/worker/templates/pod.yaml');
    expect(at(worker!)).toBe('privileged-container/privileged@charts/umbrella/charts/worker/templates/pod.yaml:10:1 error');
    expect(rel(worker!)).toEqual(['charts/umbrella/values.yaml:10:5']);
    expect(worker!.related![0]!.message).toContain('worker.securityContext.privileged');
    const [caps] = find(full, 'dangerous-capabilities', 'charts/umbrella/templates/api.yaml');
    expect(at(caps!)).toBe('dangerous-capabilities/added@charts/umbrella/templates/api.yaml:12:9 error');
    expect(rel(caps!)).toEqual(['charts/umbrella/values.yaml:7:5']);
  });

  it("never parses raw templates as YAML, renders nothing for a library chart, and reports a failed render in helm's words", () => {
    expect(full.findings.filter((f) => f.ruleId === 'parse-error')).toEqual([]);
    expect(full.findings.filter((f) => f.file.startsWith('charts/lib/'))).toEqual([]);
    const failed = full.findings.filter((f) => f.ruleId === 'render-failed');
    expect(failed.map(at)).toEqual(['render-failed/failed@charts/broken/Chart.yaml:1:1 error']);
    expect(failed[0]!.message).toContain('name is required');
    expect(failed[0]!.message).not.toMatch(/podguard-render-|\/tmp\//);
  });

  it('never points at a temporary file or a path outside the repository', () => {
    for (const f of full.findings) {
      expect(f.file).not.toMatch(/^(\/|\.\.)|podguard-render-/);
      for (const r of f.related ?? []) expect(r.file).not.toMatch(/^(\/|\.\.)/);
    }
  });
});

describe('kustomize overlays', () => {
  it('points at the strategic merge patch and the JSON 6902 patch that set the problem', () => {
    expect(find(full, 'privileged-container', 'kustomize/overlays/prod/privileged.yaml').map(at)).toEqual([
      'privileged-container/privileged@kustomize/overlays/prod/privileged.yaml:11:13 error',
    ]);
    expect(find(full, 'host-namespaces', 'kustomize/overlays/prod/hostpid.json.yaml').map(at)).toEqual([
      'host-namespaces/hostPID@kustomize/overlays/prod/hostpid.json.yaml:3:10 error',
    ]);
  });

  it("points at a component's patch, and at the base for what the base writes (names prefixed or not)", () => {
    expect(find(full, 'host-namespaces', 'kustomize/components/hostnet/hostnet.yaml').map(at)).toEqual([
      'host-namespaces/hostNetwork@kustomize/components/hostnet/hostnet.yaml:8:7 error',
    ]);
    const base = find(full, 'image-digest', 'kustomize/base/deployment.yaml');
    expect(base.map((f) => f.range.start.line)).toEqual([20, 20]);
    expect(base.map((f) => f.identity).sort()).toEqual(['Deployment/comp-web container "app"', 'Deployment/web container "app"']);
  });

  it('reports a remote base as not fetched, at its line', () => {
    expect(full.findings.filter((f) => f.ruleId === 'not-rendered').map(at)).toEqual([
      'not-rendered/remote@kustomize/overlays/remote/kustomization.yaml:4:5 warning',
    ]);
  });

  it('does not report missing fields on a patch line: they belong to the object', () => {
    const onPatches = full.findings.filter((f) => /overlays\/prod\/|components\//.test(f.file));
    expect(onPatches.filter((f) => /^missing|Missing$/.test(f.messageId))).toEqual([]);
  });
});

describe('reports', () => {
  it('carries the values line as SARIF relatedLocations and JSON related', () => {
    const sarif = toSarif(full) as {
      runs: {
        results: {
          ruleId: string;
          relatedLocations?: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
        }[];
      }[];
    };
    const priv = sarif.runs[0]!.results.find(
      (r) =>
        r.ruleId === 'privileged-container' && r.relatedLocations?.[0]?.physicalLocation.artifactLocation.uri === 'charts/web/values.yaml',
    );
    expect(priv?.relatedLocations?.[0]?.physicalLocation.region.startLine).toBe(6);
    const json = toJson(full) as { findings: { ruleId: string; related?: { file: string; line: number }[] }[]; render?: unknown };
    expect(json.findings.some((f) => f.related?.[0]?.file === 'charts/web/values.yaml' && f.related[0].line === 6)).toBe(true);
    expect(json.render).toMatchObject({ charts: 3, kustomizations: 3, failed: 1 });
  });
});

describe('without helm or kustomize', () => {
  it('gives one finding per chart and kustomization, a summary line, and judges patch files as partial objects', async () => {
    const r = await scan({ root: FIXTURES, threads: 1, env: noToolsEnv() });
    const notRendered = r.findings.filter((f) => f.ruleId === 'not-rendered');
    expect(notRendered.map(at)).toEqual([
      'not-rendered/noTool@charts/broken/Chart.yaml:1:1 warning',
      'not-rendered/noTool@charts/umbrella/Chart.yaml:1:1 warning',
      'not-rendered/noTool@charts/web/Chart.yaml:1:1 warning',
      'not-rendered/noTool@kustomize/overlays/comp/kustomization.yaml:1:1 warning',
      'not-rendered/noTool@kustomize/overlays/prod/kustomization.yaml:1:1 warning',
      'not-rendered/remote@kustomize/overlays/remote/kustomization.yaml:4:5 warning',
    ]);
    expect(notRendered[0]!.message).toBe('This Helm chart was not rendered: helm was not found on PATH. Nothing it deploys was checked.');
    expect(toText(r)).toContain(
      '3 Helm charts, 3 kustomizations: not rendered (helm was not found on PATH; kustomize was not found on PATH)',
    );
    expect(r.findings.filter((f) => f.ruleId === 'parse-error' || f.file.includes('/templates/'))).toEqual([]);
    // The patch is checked as written: what it sets is judged, what it leaves out is not.
    const patch = r.findings.filter((f) => f.file === 'kustomize/overlays/prod/privileged.yaml');
    expect(patch.map(at)).toContain('privileged-container/privileged@kustomize/overlays/prod/privileged.yaml:11:13 error');
    expect(patch.filter((f) => /^missing|Missing$/.test(f.messageId))).toEqual([]);
    // The base itself is still checked as a plain file.
    expect(r.findings.some((f) => f.file === 'kustomize/base/deployment.yaml')).toBe(true);
  });

  it('makes not-rendered an error with render.mode: required, and renders nothing with render.mode: off', async () => {
    const required = await scan({ root: FIXTURES, threads: 1, env: noToolsEnv(), config: { render: { mode: 'required' } } });
    expect(new Set(required.findings.filter((f) => f.ruleId === 'not-rendered').map((f) => f.level))).toEqual(new Set(['error']));
    const off = await scan({ root: FIXTURES, threads: 1, env: renderEnv(), config: { render: { mode: 'off' } } });
    expect(off.findings.filter((f) => f.ruleId === 'not-rendered' || f.ruleId === 'render-failed')).toEqual([]);
    expect(off.findings.filter((f) => f.file.includes('/templates/'))).toEqual([]);
    expect(toText(off)).toContain('3 Helm charts, 3 kustomizations: not rendered (render.mode: off)');
  });

  it('finds the tool named in the configuration', async () => {
    const helm = join(
      renderEnv()
        .PATH!.split(':')
        .find((d) => {
          try {
            return readFileSync(join(d, 'helm')).length > 0;
          } catch {
            return false;
          }
        })!,
      'helm',
    );
    const r = await scan({ root: FIXTURES, paths: ['charts/web'], threads: 1, env: noToolsEnv(), config: { render: { helm } } });
    expect(r.findings.filter((f) => f.ruleId === 'not-rendered')).toEqual([]);
    expect(find(r, 'privileged-container', 'charts/web/templates/deployment.yaml')).toHaveLength(1);
  });
});

describe('configuration, suppressions, baselines, pull requests', () => {
  it('applies configured values files, release name and namespace', async () => {
    const root = copy();
    writeFileSync(join(root, 'charts/web/values-prod.yaml'), 'security:\n  privileged: false\n  runAsUser: 1000\n');
    const r = await scan({
      root,
      paths: ['charts/web'],
      threads: 1,
      env: renderEnv(),
      config: { render: { charts: { 'charts/web': { valuesFiles: ['values-prod.yaml'], releaseName: 'shop', namespace: 'prod' } } } },
    });
    expect(find(r, 'privileged-container', 'charts/web/templates/deployment.yaml')).toEqual([]);
    const [latest] = find(r, 'image-tag', 'charts/web/templates/deployment.yaml').filter((f) => f.messageId === 'latest');
    expect(latest!.identity).toBe('Deployment/shop-web container "web"');
  });

  it('keeps fingerprints when other templates move the document in the stream, and honours comments in templates', async () => {
    const root = copy();
    const before = find(
      await scan({ root, paths: ['charts/web'], threads: 1, env: renderEnv() }),
      'privileged-container',
      'charts/web/templates/deployment.yaml',
    )[0]!;
    writeFileSync(
      join(root, 'charts/web/templates/aaa-config.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: b\n',
    );
    const tpl = join(root, 'charts/web/templates/deployment.yaml');
    writeFileSync(
      tpl,
      readFileSync(tpl, 'utf8').replace(
        '            privileged:',
        '            # podguard-ignore privileged-container -- needs the GPU driver\n            privileged:',
      ),
    );
    const after = await scan({ root, paths: ['charts/web'], threads: 1, env: renderEnv() });
    const moved = find(after, 'privileged-container', 'charts/web/templates/deployment.yaml')[0]!;
    expect(moved.range.start.line).toBe(22);
    expect(moved.fingerprint).toBe(before.fingerprint);
    expect(moved.suppression).toEqual({ kind: 'inSource', justification: 'needs the GPU driver' });
  });

  it('honours podguard.dev/ignore annotations that the template writes', async () => {
    const root = copy();
    const tpl = join(root, 'charts/web/templates/deployment.yaml');
    writeFileSync(
      tpl,
      readFileSync(tpl, 'utf8').replace(
        '    metadata:\n      labels:',
        '    metadata:\n      annotations:\n        podguard.dev/ignore: "privileged-container -- GPU node agent"\n      labels:',
      ),
    );
    const r = await scan({ root, paths: ['charts/web'], threads: 1, env: renderEnv() });
    const [priv] = find(r, 'privileged-container', 'charts/web/templates/deployment.yaml');
    expect(priv!.suppression).toEqual({ kind: 'inSource', justification: 'GPU node agent' });
  });

  it('works with baselines', async () => {
    const root = copy();
    const first = await scan({ root, paths: ['charts/web'], threads: 1, env: renderEnv() });
    writeFileSync(
      join(root, 'baseline.json'),
      JSON.stringify({ version: 1, findings: first.findings.map((f) => ({ ruleId: f.ruleId, file: f.file, fingerprint: f.fingerprint })) }),
    );
    const second = await scan({ root, paths: ['charts/web'], threads: 1, env: renderEnv(), baseline: 'baseline.json' });
    expect(second.baseline?.known).toBe(first.findings.length);
  });

  it('renders a chart when only its values changed, and every overlay that includes a changed base', async () => {
    const values = await scan({ root: FIXTURES, threads: 1, env: renderEnv(), changedFiles: ['charts/web/values.yaml'] });
    expect(new Set(values.findings.map((f) => f.file))).toEqual(new Set(['charts/web/templates/deployment.yaml']));
    const base = await scan({ root: FIXTURES, threads: 1, env: renderEnv(), changedFiles: ['kustomize/base/deployment.yaml'] });
    expect(base.render).toMatchObject({ charts: 0, kustomizations: 3 });
    expect(base.findings.some((f) => f.file === 'kustomize/overlays/prod/privileged.yaml')).toBe(true);
    const other = await scan({ root: FIXTURES, threads: 1, env: renderEnv(), changedFiles: ['README.md'] });
    expect(other.findings).toEqual([]);
    expect(other.render).toBeUndefined();
  });
});

describe('a stream on standard input', () => {
  it('maps # Source: comments to the chart in the repository', async () => {
    const stream = readFileSync(join(FIXTURES, 'rendered-web.yaml'), 'utf8');
    const r = await scan({ root: FIXTURES, threads: 1, env: noToolsEnv(), stdin: { text: stream, name: 'helm-output' } });
    const [priv] = r.findings.filter((f) => f.ruleId === 'privileged-container');
    expect(at(priv!)).toBe('privileged-container/privileged@charts/web/templates/deployment.yaml:21:13 error');
    expect(r.findings.filter((f) => f.ruleId === 'not-rendered')).toEqual([]);
  });

  it('reports on the stream itself when the template is not in the repository', async () => {
    const stream =
      '---\n# Source: elsewhere/templates/pod.yaml\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n';
    const r = await scan({
      root: mkdtempSync(join(tmpdir(), 'pg-stdin-')),
      threads: 1,
      env: noToolsEnv(),
      stdin: { text: stream, name: 'rendered.yaml' },
    });
    const [priv] = r.findings.filter((f) => f.ruleId === 'privileged-container');
    expect(at(priv!)).toBe('privileged-container/privileged@rendered.yaml:12:9 error');
    expect(priv!.properties).toMatchObject({ source: 'elsewhere/templates/pod.yaml' });
  });
});

describe('untrusted content', () => {
  it("never runs a kustomize exec plugin: the render fails with kustomize's message and the script did not run", async () => {
    const root = mkdtempSync(join(tmpdir(), 'pg-render-exec-'));
    writeFileSync(join(root, 'kustomization.yaml'), 'generators:\n  - gen.yaml\n');
    writeFileSync(
      join(root, 'gen.yaml'),
      'apiVersion: example.com/v1\nkind: Runner\nmetadata:\n  name: run\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ./run.sh\n',
    );
    writeFileSync(join(root, 'run.sh'), `#!/bin/sh\ntouch ${JSON.stringify(join(root, 'RAN'))}\n`, { mode: 0o755 });
    const r = await scan({ root, threads: 1, env: renderEnv() });
    const [failed] = r.findings.filter((f) => f.ruleId === 'render-failed');
    expect(at(failed!)).toBe('render-failed/failed@kustomization.yaml:1:1 error');
    expect(failed!.message).toContain('external plugins disabled');
    expect(existsSync(join(root, 'RAN'))).toBe(false);
  });

  it('stops a render that runs past render.timeoutSeconds and reports it', async () => {
    const root = copy();
    const slow = join(root, 'slow-helm');
    writeFileSync(slow, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    const r = await scan({
      root,
      paths: ['charts/web'],
      threads: 1,
      env: noToolsEnv(),
      config: { render: { helm: slow, timeoutSeconds: 1 } },
    });
    const [failed] = r.findings.filter((f) => f.ruleId === 'render-failed');
    expect(at(failed!)).toBe('render-failed/failed@charts/web/Chart.yaml:1:1 error');
    expect(failed!.message).toContain('did not finish within 1 s and was stopped');
  });

  it('runs the tools with a clean environment: a temporary HOME and Helm directories, no kubeconfig, nothing else of the caller', () => {
    const scratch = new Scratch();
    try {
      const env = cleanEnv(scratch);
      for (const [k, v] of Object.entries(env))
        if (!/^(PATH|GIT_TERMINAL_PROMPT|GIT_CONFIG_NOSYSTEM)$/.test(k)) expect([k, v.startsWith(scratch.dir)]).toEqual([k, true]);
      expect(Object.keys(env).filter((k) => !/^(PATH|HOME|XDG_|HELM_|KUBECONFIG$|GIT_)/.test(k))).toEqual([]);
    } finally {
      scratch.remove();
    }
  });
});

describe('naming a template', () => {
  it('renders the chart around a template named on its own, instead of skipping it', async () => {
    const r = await scan({ root: FIXTURES, paths: ['charts/web/templates/deployment.yaml'], threads: 1, env: renderEnv() });
    expect(find(r, 'privileged-container', 'charts/web/templates/deployment.yaml').map(at)).toEqual([
      'privileged-container/privileged@charts/web/templates/deployment.yaml:21:13 error',
    ]);
  });
});
