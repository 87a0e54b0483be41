/** The Azure Pipelines task, run as the agent runs it (MockTestRunner), plus its platform helpers. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MockTestRunner } from 'azure-pipelines-task-lib/mock-test.js';
import { PRIVILEGED, ROOTISH, azurePullRequestCheckout, sh as git, write } from '../helpers/git.js';
import { onlyRulesYaml } from '../helpers/rules.js';
import { githubProblems, multitoolAvailable, multitoolProblems, sarifErrors } from '../helpers/sarif.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RUNNER = join(ROOT, 'test', 'platform', 'azure', 'run-task.cjs');

interface Scenario {
  inputs: Record<string, string>;
  variables: Record<string, string>;
}

async function runTask(scenario: Scenario): Promise<MockTestRunner> {
  const temp = mkdtempSync(join(tmpdir(), 'pg-az-agent-'));
  const variables = { 'Agent.TempDirectory': temp, ...scenario.variables };
  const script = join(temp, 'scenario.cjs');
  writeFileSync(script, `require(${JSON.stringify(RUNNER)}).run(${JSON.stringify({ ...scenario, variables })});\n`);
  const tr = new MockTestRunner(script, join(ROOT, 'task', 'task.json'));
  // Otherwise the runner downloads the Node version task.json names, and the network is closed.
  tr.nodePath = process.execPath;
  await tr.runAsync();
  return tr;
}

const issueLines = (stdout: string): string[] => stdout.split(/\r?\n/).filter((l) => l.startsWith('##vso[task.logissue'));

describe('Azure Pipelines task (bundle run by MockTestRunner)', () => {
  it('on a pull-request build scans only the changed files of a depth-1 checkout and fails at fail-on', async () => {
    const { work, source } = azurePullRequestCheckout();
    write(work, '.podguard.yml', onlyRulesYaml('privileged-container', 'run-as-root'));
    const tr = await runTask({
      inputs: { failOn: 'error', scan: 'changed' },
      variables: {
        'Build.SourcesDirectory': work,
        'Build.Reason': 'PullRequest',
        'Build.SourceVersion': git(work, 'rev-parse', 'HEAD'),
        'Build.Repository.Provider': 'TfsGit',
        'Build.Repository.Uri': 'https://dev.azure.com/contoso/shop/_git/shop',
        'System.PullRequest.TargetBranch': 'refs/heads/main',
        'System.PullRequest.SourceCommitId': source,
      },
    });
    expect(tr.stderr).toBe('');
    const issues = issueLines(tr.stdout);
    // The privileged container and the run-as-root container (both errors), nothing from
    // k8s/old.yaml or k8s/later.yaml, which the pull request did not change.
    expect(issues).toEqual([
      '##vso[task.logissue type=error;code=run-as-root;sourcepath=deploy/api.yaml;linenumber=7;columnnumber=7;]Pod/api container "app" may run as root: set runAsNonRoot: true or a non-zero runAsUser. (run-as-root)',
      '##vso[task.logissue type=error;code=privileged-container;sourcepath=k8s/new.yaml;linenumber=10;columnnumber=9;]Pod/new container "app" runs privileged: it has full access to the host. (privileged-container)',
    ]);
    expect(tr.stdout).toContain(
      'podguard: Scanned the files this pull request added or changed (2 in the diff of the merge commit against its first parent).',
    );
    expect(tr.stdout).toMatch(/##vso\[artifact\.upload containerfolder=CodeAnalysisLogs;artifactname=CodeAnalysisLogs;\].*podguard\.sarif/);
    expect(tr.stdout).toContain(
      '##vso[task.complete result=Failed;]podguard found 2 errors, 0 warnings, 0 notes in 2 Kubernetes manifests; failing at failOn: error.',
    );
    expect(tr.failed).toBe(true);

    const summaryPath = /##vso\[task\.uploadsummary\](.*)/.exec(tr.stdout)?.[1];
    expect(summaryPath).toBeDefined();
    const summary = readFileSync(summaryPath!.trim(), 'utf8');
    expect(summary).toContain('## ❌ podguard');
    expect(summary).toContain('Scanned the files this pull request added or changed');
    expect(summary).toContain(`(https://dev.azure.com/contoso/shop/_git/shop?path=/k8s/new.yaml&version=GC${source}&line=10&`);
    const sarifPath = /##vso\[artifact\.upload [^\]]*\](.*)/.exec(tr.stdout)![1]!.trim();
    const sarif = JSON.parse(readFileSync(sarifPath, 'utf8'));
    // The SARIF file covers every file (the full state for alert tracking); the gate, the issues
    // and the summary stay on the pull request's change.
    const uris = sarif.runs[0].results.map(
      (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
        r.locations[0]!.physicalLocation.artifactLocation.uri,
    );
    expect(uris).toEqual(expect.arrayContaining(['deploy/api.yaml', 'k8s/new.yaml', 'k8s/old.yaml']));
    expect(sarif.runs[0].versionControlProvenance).toEqual([
      {
        repositoryUri: 'https://dev.azure.com/contoso/shop/_git/shop',
        revisionId: git(work, 'rev-parse', 'HEAD'),
        mappedTo: { uriBaseId: '%SRCROOT%' },
      },
    ]);
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(true);
    expect(sarif.runs[0].invocations[0].startTimeUtc).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(sarifErrors(sarif)).toEqual([]);
    expect(githubProblems(readFileSync(sarifPath, 'utf8'))).toEqual([]);
    if (multitoolAvailable()) expect(multitoolProblems([sarifPath])).toEqual([]);
  });

  it('on a CI build scans everything, publishes no artifact when told, and succeeds with issues below fail-on', async () => {
    const work = mkdtempSync(join(tmpdir(), 'pg-az-ci-'));
    write(work, 'k8s/a.yaml', PRIVILEGED('a'));
    write(work, 'k8s/b.yaml', ROOTISH('b', '"x##vso[task.setvariable variable=pwned]yes"'));
    write(work, '.podguard.yml', onlyRulesYaml('privileged-container', 'run-as-root'));
    const tr = await runTask({
      inputs: { failOn: 'never', publishSarif: 'false', sarifFile: 'out/podguard.sarif', paths: 'k8s\n', kubernetesVersion: '1.33' },
      variables: { 'Build.SourcesDirectory': work, 'Build.Reason': 'IndividualCI' },
    });
    expect(tr.stdout).toContain('podguard: Every file was scanned: this is not a pull-request build.');
    expect(issueLines(tr.stdout).map((l) => /sourcepath=([^;]+)/.exec(l)?.[1])).toEqual(['k8s/a.yaml', 'k8s/b.yaml']);
    expect(tr.stdout).not.toContain('##vso[artifact.upload');
    expect(JSON.parse(readFileSync(join(work, 'out', 'podguard.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(tr.stdout).toContain('##vso[task.complete result=SucceededWithIssues;]podguard found 2 errors');
    // A container name crafted to smuggle a logging command is printed, but defused.
    expect(tr.stdout).not.toContain('##vso[task.setvariable variable=pwned');
    expect(tr.stdout).toContain('x#\\#vso[task.setvariable variable=pwned]yes');
    expect(tr.succeeded).toBe(true);
    // The output variables, as later steps read them ($(podguard.errors)).
    const outputs = Object.fromEntries(
      [...tr.stdout.matchAll(/^##vso\[task\.setvariable variable=(\w+);isOutput=true;issecret=false;\](.*)$/gm)].map((m) => [m[1], m[2]]),
    );
    expect(outputs).toEqual({ errors: '2', warnings: '0', notes: '0', findings: '2', sarifFile: join(work, 'out', 'podguard.sarif') });
    const declared = JSON.parse(readFileSync(join(ROOT, 'task', 'task.json'), 'utf8')).outputVariables.map((v: { name: string }) => v.name);
    expect(declared).toEqual(Object.keys(outputs));
  });

  it("says gate verdicts in the task's own input names (failOn, not fail-on)", async () => {
    const work = mkdtempSync(join(tmpdir(), 'pg-az-gate-'));
    write(work, 'k8s/a.yaml', PRIVILEGED('a'));
    write(work, '.podguard.yml', onlyRulesYaml('privileged-container'));
    const tr = await runTask({
      inputs: { failOn: 'error', publishSarif: 'false', kubernetesVersion: '1.99.1' },
      variables: { 'Build.SourcesDirectory': work },
    });
    expect(tr.stdout).toContain(
      '##vso[task.complete result=Failed;]podguard found 1 error, 0 warnings, 0 notes in 1 Kubernetes manifest; failing at failOn: error.',
    );
    expect(tr.stdout).not.toContain('fail-on');
    expect(tr.stdout).toMatch(
      /##vso\[task\.issue type=warning;source=TaskInternal;\]input kubernetesVersion: podguard knows API removals up to Kubernetes 1\.34/,
    );
  });

  it('fails with one clear line on a bad input', async () => {
    const work = mkdtempSync(join(tmpdir(), 'pg-az-bad-'));
    const tr = await runTask({ inputs: { failOn: 'sometimes' }, variables: { 'Build.SourcesDirectory': work } });
    expect(tr.stdout).toContain(
      '##vso[task.complete result=Failed;]podguard: input failOn must be one of error, warning, note, never (got "sometimes")',
    );
  });
});
