import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../src/engine.js';
import { sarifText, toSarif, toUri } from '../../src/report/sarif.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { sarifErrors } from '../helpers/sarif.js';

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
    const driver = run.tool.driver as { name: string; semanticVersion: string; rules: Record<string, unknown>[] };
    expect(driver.name).toBe('podguard');
    expect(driver.rules.map((r) => r.id)).toEqual(ALL_RULES.map((r) => r.meta.id));
    for (const r of driver.rules) {
      const props = r.properties as Record<string, unknown>;
      expect(props.tags).toContain('security');
      expect(props['security-severity']).toMatch(/^\d+\.\d$/);
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
    expect(sarifText(r)).toBe(`${JSON.stringify(toSarif(r), null, 2)}\n`);
    const fa = (await scan({ root: a })).findings.map((f) => f.fingerprint);
    const fb = (await scan({ root: b })).findings.map((f) => f.fingerprint);
    expect(fb).toEqual(fa);
  });

  it('percent-encodes URIs segment by segment', () => {
    expect(toUri('a b/c#d/é.yaml')).toBe('a%20b/c%23d/%C3%A9.yaml');
  });
});
