import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../src/engine.js';
import { markdownToText, ruleHelpMarkdown, ruleHelpText, sarifCategory, sarifText, toSarif, toUri } from '../../src/report/sarif.js';
import { provenanceFromEnv } from '../../src/report/provenance.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { sarifErrors } from '../helpers/sarif.js';

function driverIndex(log: unknown, id: string): number {
  return (log as { runs: { tool: { driver: { rules: { id: string }[] } } }[] }).runs[0]!.tool.driver.rules.findIndex((r) => r.id === id);
}

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-sarif-'));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: c
      image: nginx:1.27
      securityContext:
        privileged: true
`;

describe('SARIF output', () => {
  it('validates against the SARIF 2.1.0 schema and carries what code scanning needs', async () => {
    const root = repo({ 'k8s/my pod.yaml': POD, 'broken.yaml': 'apiVersion: v1\nkind: Pod\nspec: [\n' });
    const result = await scan({ root });
    const log = toSarif(result) as {
      runs: { tool: { driver: Record<string, unknown> }; results: Record<string, unknown>[]; automationDetails: unknown }[];
    };
    expect(sarifErrors(log)).toEqual([]);
    const run = log.runs[0]!;
    expect(run.automationDetails).toEqual({ id: 'podguard/' });
    // No clock without times: the same scan gives the same bytes.
    expect((run as unknown as { invocations: unknown[] }).invocations[0]).toEqual({
      executionSuccessful: true,
      toolExecutionNotifications: [
        {
          level: 'warning',
          message: { text: expect.stringMatching(/^broken\.yaml could not be checked: /) as unknown },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'broken.yaml', uriBaseId: '%SRCROOT%' } } }],
          associatedRule: { id: 'parse-error', index: driverIndex(log, 'parse-error') },
        },
      ],
    });
    const driver = run.tool.driver as { name: string; semanticVersion: string; rules: Record<string, unknown>[] };
    expect(driver.name).toBe('podguard');
    expect(driver.rules.map((r) => r.id)).toEqual(ALL_RULES.map((r) => r.meta.id));
    for (const r of driver.rules) {
      const props = r.properties as Record<string, unknown>;
      const meta = ALL_RULES.find((x) => x.meta.id === r.id)!.meta;
      if (meta.securitySeverity === undefined) {
        expect(props.tags).not.toContain('security');
        expect(props['security-severity']).toBeUndefined();
      } else {
        expect(props.tags).toContain('security');
        expect(props['security-severity']).toMatch(/^\d+\.\d$/);
      }
      expect((r.help as { markdown: string }).markdown).toContain('How to fix');
    }
    const priv = run.results.find((r) => r.ruleId === 'privileged-container')!;
    const loc = (priv.locations as { physicalLocation: { artifactLocation: unknown; region: unknown } }[])[0]!.physicalLocation;
    expect(loc.artifactLocation).toEqual({ uri: 'k8s/my%20pod.yaml', uriBaseId: '%SRCROOT%' });
    expect(loc.region).toEqual({ startLine: 10, startColumn: 9, endLine: 10, endColumn: 25 });
    expect(driver.rules[priv.ruleIndex as number]!.id).toBe('privileged-container');
    expect(run.results.some((r) => r.ruleId === 'parse-error')).toBe(true);
  });

  it('is byte-identical across scans, and fingerprints survive lines moving', async () => {
    const a = repo({ 'pod.yaml': POD });
    const b = repo({ 'pod.yaml': `# a comment\n# and another\n${POD}` });
    expect(sarifText(await scan({ root: a }))).toBe(sarifText(await scan({ root: a })));
    // Written in pieces (as every face writes it), the text is exactly the whole log's.
    const r = await scan({ root: a });
    expect(r.findings.length).toBeGreaterThan(1);
    expect(sarifText(r)).toBe(`${JSON.stringify(toSarif(r))}\n`);
    const fa = (await scan({ root: a })).findings.map((f) => f.fingerprint);
    const fb = (await scan({ root: b })).findings.map((f) => f.fingerprint);
    expect(fb).toEqual(fa);
  });

  it('percent-encodes URIs segment by segment', () => {
    expect(toUri('a b/c#d/é.yaml')).toBe('a%20b/c%23d/%C3%A9.yaml');
  });
});

describe('SARIF details', () => {
  it('turns help Markdown into text without eating identifiers', () => {
    expect(
      markdownToText(
        '**Why.** NET_RAW and `DB_PASSWORD` _matter_; see [the guide](https://learn.microsoft.com/x).\n\n```yaml\ndrop: ["NET_RAW"]\n```',
      ),
    ).toBe('Why. NET_RAW and DB_PASSWORD matter; see the guide (https://learn.microsoft.com/x).\n\ndrop: ["NET_RAW"]');
    expect(markdownToText('_Pods (`spec.os.name: windows`) are exempt._')).toBe('Pods (spec.os.name: windows) are exempt.');
    const caps = ALL_RULES.find((r) => r.meta.id === 'capabilities-not-dropped')!;
    expect(ruleHelpText(caps)).toContain('NET_RAW');
    for (const rule of ALL_RULES) {
      const text = ruleHelpText(rule);
      expect(text).not.toMatch(/^```|\*\*(Why|How)/m);
      // Every identifier with an underscore in the Markdown survives in the text.
      for (const id of ruleHelpMarkdown(rule).match(/\b[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+\b/g) ?? []) expect(text).toContain(id);
    }
  });

  it('writes provenance, times and repository-relative URIs from a scan below the repository root', async () => {
    const top = repo({ 'apps/web/k8s/pod.yaml': POD });
    const result = await scan({ root: join(top, 'apps', 'web') });
    const provenance = provenanceFromEnv({
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'octo/shop',
      GITHUB_SHA: 'a'.repeat(40),
      GITHUB_REF: 'refs/heads/main',
    });
    const times = { start: new Date('2026-01-02T03:04:05.000Z'), end: new Date('2026-01-02T03:04:06.500Z') };
    const log = toSarif(result, { repositoryRoot: top, provenance, times }) as {
      runs: Record<string, unknown>[];
    };
    expect(sarifErrors(log)).toEqual([]);
    const run = log.runs[0]! as {
      versionControlProvenance: unknown;
      invocations: Record<string, unknown>[];
      originalUriBaseIds: Record<string, { uri: string }>;
      results: { locations: { physicalLocation: { artifactLocation: unknown } }[] }[];
    };
    expect(run.versionControlProvenance).toEqual([
      {
        repositoryUri: 'https://github.com/octo/shop',
        revisionId: 'a'.repeat(40),
        branch: 'refs/heads/main',
        mappedTo: { uriBaseId: '%SRCROOT%' },
      },
    ]);
    expect(run.invocations[0]).toEqual({
      executionSuccessful: true,
      startTimeUtc: '2026-01-02T03:04:05.000Z',
      endTimeUtc: '2026-01-02T03:04:06.500Z',
    });
    expect(run.originalUriBaseIds['%SRCROOT%']!.uri).toMatch(/^file:\/\/.*\/$/);
    for (const r of run.results) {
      expect(r.locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: 'apps/web/k8s/pod.yaml', uriBaseId: '%SRCROOT%' });
    }
  });

  it('reads Azure Pipelines provenance and never writes credentials or odd revisions', () => {
    expect(
      provenanceFromEnv({
        BUILD_REPOSITORY_URI: 'https://user:pat@dev.azure.com/contoso/shop/_git/shop',
        BUILD_SOURCEVERSION: 'b'.repeat(40),
        BUILD_SOURCEBRANCH: 'refs/heads/feature/x',
      }),
    ).toEqual({
      repositoryUri: 'https://dev.azure.com/contoso/shop/_git/shop',
      revisionId: 'b'.repeat(40),
      branch: 'refs/heads/feature/x',
    });
    expect(provenanceFromEnv({ BUILD_REPOSITORY_URI: 'file:///etc', BUILD_SOURCEVERSION: 'x' })).toBeUndefined();
    expect(provenanceFromEnv({ GITHUB_REPOSITORY: 'octo/shop', GITHUB_SHA: 'not a sha' })).toEqual({
      repositoryUri: 'https://github.com/octo/shop',
    });
    expect(provenanceFromEnv({})).toBeUndefined();
  });

  it('names categories for monorepos and rejects odd ones', () => {
    expect(sarifCategory('', 'input category')).toBe('podguard');
    expect(sarifCategory('frontend/', 'input category')).toBe('podguard/frontend');
    expect(sarifCategory('podguard/api', 'input category')).toBe('podguard/api');
    expect(() => sarifCategory('a b', 'input category')).toThrow(/input category/);
  });

  it('marks the run unsuccessful after an internal error', async () => {
    const result = await scan({ root: repo({ 'pod.yaml': POD }) });
    const crashed = {
      ...result,
      findings: [...result.findings, { ...result.findings[0]!, ruleId: 'internal-error', file: '.', message: 'rule x failed' }],
    };
    const log = toSarif(crashed) as {
      runs: { invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string; locations?: unknown }[] }[] }[];
    };
    const inv = log.runs[0]!.invocations[0]!;
    expect(inv.executionSuccessful).toBe(false);
    expect(inv.toolExecutionNotifications).toEqual([expect.objectContaining({ level: 'error' })]);
    expect(inv.toolExecutionNotifications[0]!.locations).toBeUndefined();
  });
});
