/**
 * A pull request that changes only a chart's values.yaml: the bundled Action and the bundled
 * Azure task render the chart with the real helm and annotate the template line and the values line.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MockTestRunner } from 'azure-pipelines-task-lib/mock-test.js';
import { pullRequestRepo, sh, shallowCheckout, tempDir } from '../helpers/git.js';
import { onlyRulesYaml } from '../helpers/rules.js';
import { renderEnv } from '../helpers/render.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ACTION = join(tempDir('pg-render-action-'), 'action.js');
copyFileSync(join(ROOT, 'dist', 'action.js'), ACTION);
const RUNNER = join(ROOT, 'test', 'platform', 'azure', 'run-task.cjs');

const CHART = 'apiVersion: v2\nname: web\nversion: 0.1.0\n';
const TEMPLATE = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        privileged: {{ .Values.privileged }}
`;
const base = {
  '.podguard.yml': onlyRulesYaml('privileged-container'),
  'charts/web/Chart.yaml': CHART,
  'charts/web/values.yaml': 'replicas: 1\nprivileged: false\n',
  'charts/web/templates/pod.yaml': TEMPLATE,
};
const head = { 'charts/web/values.yaml': 'replicas: 1\nprivileged: true\n' };

function prCheckout(): { ws: string; baseSha: string; headSha: string } {
  const pr = pullRequestRepo({ base, head });
  return { ws: shallowCheckout(pr.origin, 'refs/pull/1/merge'), baseSha: pr.baseSha, headSha: pr.headSha };
}

describe('a pull request that changes only values.yaml', () => {
  it('the Action annotates the template line and the values line', async () => {
    const { ws, baseSha, headSha } = prCheckout();
    const runner = tempDir('pg-runner-');
    const files = { output: join(runner, 'output'), summary: join(runner, 'summary.md'), event: join(runner, 'event.json') };
    writeFileSync(files.output, '');
    writeFileSync(files.summary, '');
    writeFileSync(
      files.event,
      JSON.stringify({
        number: 1,
        pull_request: { number: 1, changed_files: 1, base: { ref: 'main', sha: baseSha }, head: { ref: 'feature', sha: headSha } },
      }),
    );
    const env: Record<string, string> = {
      PATH: renderEnv().PATH!,
      HOME: runner,
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: ws,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: files.event,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_REPOSITORY: 'octo/shop',
      GITHUB_SHA: sh(ws, 'rev-parse', 'HEAD'),
      GITHUB_API_URL: 'http://127.0.0.1:9',
      INPUT_PATHS: '.',
      INPUT_CONFIG: '.podguard.yml',
      'INPUT_FAIL-ON': 'error',
      'INPUT_SARIF-FILE': 'podguard.sarif',
      INPUT_ANNOTATIONS: 'true',
      INPUT_SUMMARY: 'true',
      INPUT_TOKEN: 'ghs_test',
    };
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((done) => {
      execFile(process.execPath, [ACTION], { cwd: ws, env, encoding: 'utf8' }, (err, out) =>
        done({ code: err ? Number((err as { code?: number }).code ?? 99) : 0, stdout: out }),
      );
    });
    expect(code).toBe(1);
    const errors = stdout.split('\n').filter((l) => l.startsWith('::error title='));
    expect(errors.map((l) => /file=([^,]+),line=(\d+)/.exec(l)!.slice(1).join(':'))).toEqual([
      'charts/web/templates/pod.yaml:10',
      'charts/web/values.yaml:2',
    ]);
    const summary = readFileSync(files.summary, 'utf8');
    // In the change: the values line it came from was edited by the pull request.
    expect(summary).toMatch(/charts\/web\/templates\/pod\.yaml#L10\) ✏️/);
    const sarif = JSON.parse(readFileSync(join(ws, 'podguard.sarif'), 'utf8')) as {
      runs: { results: { relatedLocations?: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    expect(sarif.runs[0]!.results[0]!.relatedLocations?.[0]?.physicalLocation.artifactLocation.uri).toBe('charts/web/values.yaml');
  });

  it('the Azure task logs issues on the template line and the values line', async () => {
    const { ws, headSha } = prCheckout();
    const temp = tempDir('pg-az-agent-');
    const scenario = {
      inputs: { failOn: 'error', scan: 'changed' },
      variables: {
        'Agent.TempDirectory': temp,
        'Build.SourcesDirectory': ws,
        'Build.Reason': 'PullRequest',
        'Build.SourceVersion': sh(ws, 'rev-parse', 'HEAD'),
        'Build.Repository.Provider': 'TfsGit',
        'Build.Repository.Uri': 'https://dev.azure.com/contoso/shop/_git/shop',
        'System.PullRequest.TargetBranch': 'refs/heads/main',
        'System.PullRequest.SourceCommitId': headSha,
        PATH: renderEnv().PATH!,
      },
    };
    const script = join(temp, 'scenario.cjs');
    writeFileSync(script, `require(${JSON.stringify(RUNNER)}).run(${JSON.stringify(scenario)});\n`);
    const tr = new MockTestRunner(script, join(ROOT, 'task', 'task.json'));
    tr.nodePath = process.execPath;
    await tr.runAsync();
    const issues = tr.stdout.split(/\r?\n/).filter((l) => l.startsWith('##vso[task.logissue'));
    expect(issues.map((l) => /sourcepath=([^;]+);linenumber=(\d+)/.exec(l)!.slice(1).join(':'))).toEqual([
      'charts/web/templates/pod.yaml:10',
      'charts/web/values.yaml:2',
    ]);
  });
});
