/** The Azure platform layer with a recording task library: inputs, secrets, issues, links, errors. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_ISSUES, fileLink, neutralize, readInputs, runAzure } from '../../src/platform/azure.js';
import type { AzureTaskLib } from '../../src/platform/azure.js';
import type { Rule } from '../../src/rule.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { ConfigurationError } from '../../src/types.js';
import { PRIVILEGED } from '../helpers/git.js';
import { onlyRulesYaml } from '../helpers/rules.js';
import { workspace } from './workspace.js';

interface Recorder {
  tl: AzureTaskLib;
  /** Everything in order: `out:<text>`, `secret:<value>`, `issue:<type>:<line>:<message>`, ... */
  events: string[];
}

function recorder(inputs: Record<string, string> = {}, variables: Record<string, string> = {}): Recorder {
  const events: string[] = [];
  const lib = {
    getInput: (name: string) => inputs[name],
    getBoolInput: (name: string) => (inputs[name] ?? '').toLowerCase() === 'true',
    getVariable: (name: string) => variables[name],
    logIssue: (type: number, message: string, _path?: string, line?: number) => events.push(`issue:${type}:${line}:${message}`),
    uploadSummary: (path: string) => events.push(`summary:${readFileSync(path, 'utf8')}`),
    uploadArtifact: (folder: string, path: string, name: string) => events.push(`artifact:${folder}:${name}:${path}`),
    setResult: (result: number, message: string) => events.push(`result:${result}:${message}`),
    setSecret: (value: string) => events.push(`secret:${value}`),
    setVariable: (name: string, value: string, secret?: boolean, isOutput?: boolean) =>
      events.push(`variable:${name}=${value}${secret ? ':secret' : ''}${isOutput ? ':output' : ''}`),
    debug: (message: string) => events.push(`debug:${message}`),
    warning: (message: string) => events.push(`warning:${message}`),
    IssueType: { Error: 0, Warning: 1 },
    TaskResult: { Succeeded: 0, SucceededWithIssues: 1, Failed: 2, Cancelled: 3, Skipped: 4 },
  };
  return { tl: lib as unknown as AzureTaskLib, events };
}

/** A rule that reports every `token:` value as a secret (the engine's secret path, end to end). */
const TOKEN_RULE: Rule = {
  meta: {
    ...ALL_RULES[0]!.meta,
    id: 'test-token',
    system: false,
    kinds: ['kubernetes'],
    messages: { token: 'a token ({token}) is committed in {file}' },
  },
  check(file, ctx) {
    for (const m of file.source.text.matchAll(/token: "([^"]*)"/g)) {
      const value = JSON.parse(`"${m[1]!}"`) as string;
      ctx.report({
        messageId: 'token',
        data: { token: value, file: file.source.path },
        at: file.source.lines.range(m.index, m.index + m[0].length),
        secret: value,
      });
    }
  },
};

const repo = (files: Record<string, string>): string => workspace(files, 'pg-az-unit-');

describe('Azure platform', () => {
  it('registers every secret (line by line) before printing anything, and never prints one', async () => {
    const root = repo({
      'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  token: "ghp_0123456789abcdefABCDEF\\nsecond-line-part"\n',
      // Only the test rule: the built-in secret rules would register their own values too.
      '.podguard.yml': onlyRulesYaml('test-token'),
    });
    const { tl, events } = recorder({}, { 'Build.SourcesDirectory': root, 'Agent.TempDirectory': root });
    const out: string[] = [];
    await runAzure(tl, { cwd: root, stdout: (t) => out.push(t) && events.push(`out:${t}`), rules: [...ALL_RULES, TOKEN_RULE] });
    const firstSecret = events.findIndex((e) => e.startsWith('secret:'));
    const firstOutput = events.findIndex((e) => /^(out|issue|summary):/.test(e) && e.includes('token'));
    const secrets = events.filter((e) => e.startsWith('secret:'));
    // Each line of the multi-line value, and its JSON-escaped one-line form (as SARIF and JSON
    // write it; the redactor registers that form too), never a value with a line break in it.
    expect([...new Set(secrets)]).toEqual([
      'secret:ghp_0123456789abcdefABCDEF',
      'secret:second-line-part',
      'secret:ghp_0123456789abcdefABCDEF\\nsecond-line-part',
    ]);
    expect(secrets.filter((e) => /[\r\n]/.test(e))).toEqual([]);
    expect(firstSecret).toBeGreaterThanOrEqual(0);
    expect(firstSecret).toBeLessThan(firstOutput);
    const printed = events.filter((e) => !e.startsWith('secret:')).join('\n');
    expect(printed).not.toContain('0123456789abcdef');
    expect(printed).toContain('a token (***) is committed in a.yaml');
  });

  it(`logs at most ${MAX_ISSUES} issues, most severe first, and says where the rest are`, async () => {
    const docs = Array.from({ length: MAX_ISSUES + 5 }, (_, i) => PRIVILEGED(`p${i}`)).join('---\n');
    const root = repo({ 'many.yaml': docs, '.podguard.yml': onlyRulesYaml('privileged-container') });
    const { tl, events } = recorder({ failOn: 'never' }, { 'Build.SourcesDirectory': root, 'Agent.TempDirectory': root });
    await runAzure(tl, { cwd: root, stdout: () => undefined });
    expect(events.filter((e) => e.startsWith('issue:'))).toHaveLength(MAX_ISSUES);
    expect(events).toContain(
      `warning:podguard logged the first ${MAX_ISSUES} of ${MAX_ISSUES + 5} findings as issues; the summary tab and SARIF have all of them.`,
    );
    expect(events.find((e) => e.startsWith('result:'))).toMatch(/^result:1:podguard found 505 errors/);
  });

  it('scans everything on a pull-request build whose changes cannot be worked out, and says why', async () => {
    const root = repo({ 'a.yaml': PRIVILEGED('a'), '.podguard.yml': onlyRulesYaml('privileged-container') });
    const { tl, events } = recorder({}, { 'Build.SourcesDirectory': root, 'Agent.TempDirectory': root, 'Build.Reason': 'PullRequest' });
    await runAzure(tl, { cwd: root, stdout: () => undefined, changes: async () => ({ reason: 'no history' }) });
    expect(events).toContain('warning:podguard scans every file: no history. Check out with fetchDepth: 0 to scan only the changed files.');
    expect(events.filter((e) => e.startsWith('issue:'))).toHaveLength(1);
  });

  it('folds the findings list in a group, sets the output variables, and keeps data from opening groups', async () => {
    const docs = Array.from({ length: 25 }, (_, i) => PRIVILEGED(`p${i}`)).join('---\n');
    const root = repo({ 'many.yaml': docs, '##[group]x.yaml': PRIVILEGED('g'), '.podguard.yml': onlyRulesYaml('privileged-container') });
    const { tl, events } = recorder({ failOn: 'never' }, { 'Build.SourcesDirectory': root, 'Agent.TempDirectory': root });
    const out: string[] = [];
    await runAzure(tl, { cwd: root, stdout: (t) => void out.push(t) });
    const log = out.join('');
    expect(log.match(/^##\[group\].*$/gm)).toEqual(['##[group]podguard: 26 findings in 2 files']);
    expect(log).toContain('\n#\\#[group]x.yaml\n');
    expect(log.match(/^##\[endgroup\]$/gm)).toHaveLength(1);
    expect(events.filter((e) => e.startsWith('variable:'))).toEqual([
      'variable:errors=26:output',
      'variable:warnings=0:output',
      'variable:notes=0:output',
      'variable:findings=26:output',
      `variable:sarifFile=${join(root, 'podguard', 'podguard.sarif')}:output`,
    ]);
  });

  it('turns a crash into a failed result with the message, and the stack into debug output', async () => {
    const root = repo({ 'a.yaml': PRIVILEGED('a') });
    const { tl, events } = recorder({}, { 'Build.SourcesDirectory': root, 'Agent.TempDirectory': root, 'Build.Reason': 'PullRequest' });
    await runAzure(tl, { cwd: root, stdout: () => undefined, changes: () => Promise.reject(new Error('boom')) });
    expect(events.find((e) => e.startsWith('result:'))).toMatch(/^result:2:podguard \S+: internal error: boom\. Set system\.debug/);
    expect(events.some((e) => e.startsWith('debug:Error: boom'))).toBe(true);
  });

  it('names the input at fault when a path or an image pattern is wrong', async () => {
    const root = repo({ 'a.yaml': PRIVILEGED('a') });
    const vars = { 'Build.SourcesDirectory': root, 'Agent.TempDirectory': root };
    const missing = recorder({ paths: 'k8s' }, vars);
    await runAzure(missing.tl, { cwd: root, stdout: () => undefined });
    expect(missing.events.find((e) => e.startsWith('result:'))).toBe('result:2:podguard: input paths: path not found: k8s');
    const badImage = recorder({ allowedImages: 'docker.io/library/nginx:1.27' }, vars);
    await runAzure(badImage.tl, { cwd: root, stdout: () => undefined });
    expect(badImage.events.find((e) => e.startsWith('result:'))).toBe(
      'result:2:podguard: input allowedImages: "docker.io/library/nginx:1.27" must not hold a tag (patterns match image names without tag; ":" is only for a registry port)',
    );
  });

  it('reads inputs: an empty filePath, defaults, and clear errors', () => {
    const src = '/agent/s';
    const read = (inputs: Record<string, string>) => readInputs(recorder(inputs).tl, src);
    expect(read({ config: src, publishSarif: '' })).toMatchObject({
      configPath: undefined,
      publishSarif: true,
      artifactName: 'CodeAnalysisLogs',
      scanMode: 'changed',
      failOn: 'error',
    });
    expect(
      read({ config: 'ci/podguard.yml', paths: 'k8s\n\n  charts/out  \n', allowedImages: 'mcr.microsoft.com/**\n# comment\nacr.io/*' }),
    ).toMatchObject({
      configPath: 'ci/podguard.yml',
      paths: ['k8s', 'charts/out'],
      allowedImages: ['mcr.microsoft.com/**', 'acr.io/*'],
    });
    expect(read({ publishSarif: 'false' }).publishSarif).toBe(false);
    expect(read({ kubernetesVersion: 'v1.30.2' }).kubernetesVersion).toBe('1.30');
    expect(() => read({ kubernetesVersion: '1.30-rc' })).toThrow(
      new ConfigurationError('input kubernetesVersion must be a Kubernetes version such as 1.34 or 1.34.2 (got "1.30-rc")'),
    );
    try {
      read({ failOn: 'fatal' });
    } catch (err) {
      expect((err as ConfigurationError).input).toBe('failOn');
    }
    expect(() => read({ scan: 'some' })).toThrow(/input scan must be one of changed, all/);
    expect(read({ threads: ' 3 ' }).threads).toBe(3);
    expect(read({}).threads).toBeUndefined();
    expect(() => read({ threads: '0' })).toThrow(new ConfigurationError('input threads must be a whole number from 1 to 16 (got "0")'));
    expect(() => read({ artifactName: 'a;b' })).toThrow(/input artifactName must not contain/);
  });

  it('links findings to Azure Repos and GitHub at the built commit', () => {
    const sha = 'b'.repeat(40);
    const azure = recorder({}, { 'Build.Repository.Provider': 'TfsGit', 'Build.Repository.Uri': 'https://dev.azure.com/o/p/_git/r' }).tl;
    expect(fileLink(azure, sha)?.('k8s/a b.yaml', 7)).toBe(
      `https://dev.azure.com/o/p/_git/r?path=/k8s/a%20b.yaml&version=GC${sha}&line=7&lineEnd=7&lineStartColumn=1&lineEndColumn=1&_a=contents`,
    );
    const gh = recorder({}, { 'Build.Repository.Provider': 'GitHub', 'Build.Repository.Uri': 'https://github.com/o/r.git' }).tl;
    expect(fileLink(gh, sha)?.('a.yaml', 3)).toBe(`https://github.com/o/r/blob/${sha}/a.yaml#L3`);
    expect(
      fileLink(recorder({}, { 'Build.Repository.Provider': 'Bitbucket', 'Build.Repository.Uri': 'https://x' }).tl, sha),
    ).toBeUndefined();
    expect(fileLink(gh, undefined)).toBeUndefined();
  });

  it('defuses logging commands in text from scanned files', () => {
    expect(neutralize('a ##vso[task.setvariable variable=x]1 ##[error]b ##VSO[x]')).toBe(
      'a #\\#vso[task.setvariable variable=x]1 #\\#[error]b #\\#VSO[x]',
    );
    expect(neutralize('# plain comment ## heading')).toBe('# plain comment ## heading');
  });

  describe('inputs that change what is found', () => {
    const PDB = 'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: api\nspec:\n  minAvailable: 1\n';
    const issues = async (files: Record<string, string>, inputs: Record<string, string>): Promise<string[]> => {
      const root = repo(files);
      const { tl, events } = recorder({ failOn: 'never', ...inputs }, { 'Build.SourcesDirectory': root, 'Agent.TempDirectory': root });
      await runAzure(tl, { cwd: root, stdout: () => undefined });
      return events.filter((e) => e.startsWith('issue:'));
    };

    it('kubernetesVersion sets the target version of removed-api-version', async () => {
      const files = { '.podguard.yml': onlyRulesYaml('removed-api-version'), 'pdb.yaml': PDB };
      // Removed in 1.25: an error when the cluster runs it, a warning (coming removal) before.
      expect((await issues(files, { kubernetesVersion: '1.24' })).map((e) => e.split(':').slice(0, 3).join(':'))).toEqual(['issue:1:1']);
      expect((await issues(files, {})).map((e) => e.split(':').slice(0, 3).join(':'))).toEqual(['issue:0:1']);
    });

    it('allowedImages reports images outside the approved patterns', async () => {
      const files = { '.podguard.yml': onlyRulesYaml('image-not-allowed'), 'a.yaml': PRIVILEGED('a') };
      expect(await issues(files, {})).toEqual([]);
      const found = await issues(files, { allowedImages: 'mcr.microsoft.com/**' });
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/^issue:0:8:.*nginx/);
      expect(await issues(files, { allowedImages: 'mcr.microsoft.com/**\ndocker.io/library/nginx' })).toEqual([]);
    });
  });

  it('ends Succeeded on a clean run, with no issue and no warning', async () => {
    const clean = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: ok\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n';
    const root = repo({ 'a.yaml': clean, '.podguard.yml': onlyRulesYaml('privileged-container') });
    const { tl, events } = recorder({}, { 'Build.SourcesDirectory': root, 'Agent.TempDirectory': root });
    await runAzure(tl, { cwd: root, stdout: () => undefined });
    expect(events.filter((e) => /^(issue|warning|result):/.test(e))).toEqual([
      'result:0:podguard found no problems in 1 Kubernetes manifest.',
    ]);
  });
});
