/**
 * Security-severity agreement and GitHub's upload limits: every rule's severity sits in its
 * level's band, and a SARIF log of any size stays within what code scanning accepts. Work is
 * bounded by counts (results, bytes), never by time.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { scan } from '../../src/engine.js';
import type { ScanResult } from '../../src/engine.js';
import {
  GITHUB_LIMITS,
  fitSarif,
  sarifOmittedLine,
  sarifChunks,
  sarifText,
  selectResults,
  toSarif,
  writeSarif,
} from '../../src/report/sarif.js';
import { SEVERITY_BANDS, inBand, severityAt } from '../../src/report/severity.js';
import { jsonText } from '../../src/report/json.js';
import { ALL_RULES } from '../../src/rules/index.js';
import type { Finding, Level } from '../../src/types.js';
import { githubProblems, multitoolAvailable, multitoolProblems, sarifErrors } from '../helpers/sarif.js';

const ENGINE_RULES = [
  'parse-error',
  'file-error',
  'internal-error',
  'duplicate-key',
  'invalid-suppression',
  'unused-suppression',
  'expired-suppression',
  'suppression-without-reason',
];

const POD = (name: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
    - name: c
      image: nginx
      securityContext:
        privileged: true
`;

function corpus(files: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-sarif-corpus-'));
  mkdirSync(join(dir, 'k8s'));
  for (let i = 0; i < files; i++) writeFileSync(join(dir, 'k8s', `pod-${String(i).padStart(5, '0')}.yaml`), POD(`p${i}`));
  return dir;
}

interface Log {
  runs: {
    tool: { driver: { rules: { id: string; defaultConfiguration: { level: Level }; properties: Record<string, unknown> }[] } };
    invocations: { toolExecutionNotifications?: { message: { text: string } }[] }[];
    results: { ruleId: string; ruleIndex: number; level: Level; properties?: Record<string, unknown> }[];
  }[];
}

/** The security-severity GitHub sees for each result: its own, else its rule's. */
function effectiveSeverities(log: Log): { level: Level; severity: number | undefined; ruleId: string }[] {
  const run = log.runs[0]!;
  return run.results.map((r) => {
    const own = r.properties?.['security-severity'] as string | undefined;
    const rule = run.tool.driver.rules[r.ruleIndex]!.properties['security-severity'] as string | undefined;
    const s = own ?? rule;
    return { level: r.level, severity: s === undefined ? undefined : Number(s), ruleId: r.ruleId };
  });
}

/** `count` findings copied round-robin from a real scan, one file each, with levels and rules mixed. */
function inflate(base: ScanResult, count: number): ScanResult {
  const seeds = base.findings.filter((f) => !f.suppression);
  const levels: Level[] = ['error', 'warning', 'note'];
  const findings: Finding[] = [];
  for (let i = 0; i < count; i++) {
    const f = seeds[i % seeds.length]!;
    findings.push({ ...f, level: levels[i % 3]!, file: `k8s/gen-${String(Math.floor(i / seeds.length)).padStart(6, '0')}.yaml` });
  }
  return { ...base, findings };
}

describe('security-severity agrees with the level', () => {
  it('every rule: in the band of its level; engine and hygiene rules carry none and no security tag', () => {
    expect(SEVERITY_BANDS).toEqual({ error: { min: 7, max: 10 }, warning: { min: 4, max: 6.9 }, note: { min: 0.1, max: 3.9 } });
    const wrong: string[] = [];
    for (const r of ALL_RULES) {
      const m = r.meta;
      if (ENGINE_RULES.includes(m.id)) {
        if (m.securitySeverity !== undefined) wrong.push(`${m.id}: an engine rule with security-severity ${m.securitySeverity}`);
        if (m.tags.includes('security')) wrong.push(`${m.id}: an engine rule tagged security`);
      } else if (m.securitySeverity === undefined || !inBand(m.securitySeverity, m.level)) {
        wrong.push(`${m.id}: ${m.level} with security-severity ${m.securitySeverity}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('every result of a scan, at its own level, a configured level or baselined, has a severity in its band', async () => {
    const root = corpus(3);
    writeFileSync(join(root, 'k8s', 'broken.yaml'), 'a: [\n');
    const base = await scan({ root });
    // A finding reported at another level than its rule's (host-path's "other" paths, deprecated
    // APIs, weak secrets do this), a baselined one, and a rule the configuration turned down.
    const findings = base.findings.map((f, i) => (i === 0 ? { ...f, level: 'warning' as const } : i === 1 ? { ...f, baselined: true } : f));
    const settings = { ...base.settings, rules: { ...base.settings.rules, 'image-tag': { level: 'note' as const, options: {} } } };
    const log = toSarif({ ...base, findings, settings }) as unknown as Log;
    expect(sarifErrors(log)).toEqual([]);
    const rows = effectiveSeverities(log);
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      if (ENGINE_RULES.includes(row.ruleId)) expect(row.severity).toBeUndefined();
      else expect({ ...row, inBand: inBand(row.severity!, row.level) }).toEqual({ ...row, inBand: true });
    }
    const imageTag = log.runs[0]!.tool.driver.rules.find((r) => r.id === 'image-tag')!;
    expect(imageTag.defaultConfiguration.level).toBe('note');
    expect(Number(imageTag.properties['security-severity'])).toBeLessThan(4);
  });

  it('moves a severity to the nearest edge of a band', () => {
    expect(severityAt({ securitySeverity: 8.5 }, 'warning')).toBe(6.9);
    expect(severityAt({ securitySeverity: 2 }, 'error')).toBe(7);
    expect(severityAt({ securitySeverity: 5 }, 'warning')).toBe(5);
    expect(severityAt({}, 'error')).toBeUndefined();
  });
});

describe('GitHub upload limits', () => {
  it('selects by level then severity without losing file order, and counts what it left out', async () => {
    const base = await scan({ root: corpus(40) });
    const sel = selectResults(base, 50);
    expect(sel.kept).toBe(50);
    const kept = base.findings.filter((_, i) => sel.keep[i]);
    const dropped = base.findings.filter((_, i) => !sel.keep[i]);
    const rank = (f: Finding): number =>
      ({ error: 3, warning: 2, note: 1 })[f.level] * 100 + (severityAt(ALL_RULES.find((r) => r.meta.id === f.ruleId)!.meta, f.level) ?? 0);
    const lowestKept = Math.min(...kept.map(rank));
    expect(Math.max(...dropped.map(rank))).toBeLessThanOrEqual(lowestKept);
    expect([...sel.omitted.values()].reduce((a, b) => a + b, 0)).toBe(base.findings.length - 50);
    // Written, the results keep the scan's file order and the log says what was left out.
    const log = JSON.parse(sarifText(base, { limits: { results: 50 } })) as Log;
    expect(log.runs[0]!.results).toHaveLength(50);
    const notes = log.runs[0]!.invocations[0]!.toolExecutionNotifications!.map((n) => n.message.text);
    expect(notes.some((t) => t.includes(`left ${base.findings.length - 50} (`))).toBe(true);
    // The job summary's line names the count per rule.
    const written = writeSarif(join(mkdtempSync(join(tmpdir(), 'pg-sarif-line-')), 's.sarif'), base, { limits: { results: 50 } });
    const line = sarifOmittedLine(written);
    expect(line).toContain(`50 results were uploaded; ${base.findings.length - 50} (`);
    for (const [id, n] of written.omitted) expect(line).toContain(`${id} ${n}`);
  });

  it('keeps a 60,000-finding scan within 25,000 results and 10 MB gzipped, valid for the schema and the multitool', async () => {
    const base = await scan({ root: corpus(4) });
    const big = inflate(base, 60_000);
    const dir = mkdtempSync(join(tmpdir(), 'pg-sarif-big-'));
    const file = join(dir, 'big.sarif');
    const written = writeSarif(file, big);
    expect(written.results).toBe(GITHUB_LIMITS.results);
    expect([...written.omitted.values()].reduce((a, b) => a + b, 0)).toBe(35_000);
    const text = readFileSync(file, 'utf8');
    expect(gzipSync(text).length).toBeLessThanOrEqual(written.gzipBytes);
    expect(githubProblems(text)).toEqual([]);
    const log = JSON.parse(text) as Log;
    expect(sarifErrors(log)).toEqual([]);
    // Every error fitted (20,000 of them), then the highest-severity warnings.
    expect(log.runs[0]!.results.filter((r) => r.level === 'error')).toHaveLength(20_000);
    expect(log.runs[0]!.results.some((r) => r.level === 'note')).toBe(false);
    // The JSON output stays complete.
    expect((JSON.parse(jsonText(big)) as { findings: unknown[] }).findings).toHaveLength(60_000);
    if (multitoolAvailable()) expect(multitoolProblems([file])).toEqual([]);
  });

  it('drops more results when the gzipped file would be too large, and the stdout path agrees with the file', async () => {
    const base = await scan({ root: corpus(4) });
    const big = inflate(base, 4_000);
    // The rules' help alone takes some kilobytes: allow that and about 5 KB of results.
    const empty = gzipSync(sarifText(big, { limits: { results: 0 } })).length;
    const limits = { gzipBytes: empty + 5_000 };
    const fitted = fitSarif(big, { limits });
    expect(fitted.written.results).toBeLessThan(4_000);
    expect(fitted.written.results).toBeGreaterThan(0);
    const text = [...sarifChunks(big, fitted)].join('');
    expect(gzipSync(text).length).toBeLessThanOrEqual(limits.gzipBytes);
    const file = join(mkdtempSync(join(tmpdir(), 'pg-sarif-gz-')), 'x.sarif');
    const written = writeSarif(file, big, { limits });
    expect(written.results).toBe(fitted.written.results);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('writes at most 20 tags per rule and compact JSON', async () => {
    const base = await scan({ root: corpus(1) });
    const rule = { ...ALL_RULES[0]!, meta: { ...ALL_RULES[0]!.meta, tags: Array.from({ length: 30 }, (_, i) => `t${i}`) } };
    const log = JSON.parse(sarifText({ ...base, rules: [rule, ...ALL_RULES.slice(1)] })) as Log;
    for (const r of log.runs[0]!.tool.driver.rules) expect((r.properties.tags as string[]).length).toBeLessThanOrEqual(20);
    expect(sarifText(base).trimEnd()).not.toMatch(/\n/);
  });
});

describe('the validators themselves', () => {
  it('catch what GitHub rejects', async () => {
    const base = await scan({ root: corpus(1) });
    const log = toSarif(base) as { runs: { results: { locations: { physicalLocation: Record<string, unknown> }[] }[] }[] };
    const loc = log.runs[0]!.results[0]!.locations[0]!.physicalLocation;
    loc.artifactLocation = { uri: '../outside.yaml' };
    delete loc.region;
    const text = JSON.stringify(log, null, 2);
    expect(githubProblems(text)).toEqual([
      'not compact JSON',
      'results[0]: uri ../outside.yaml is not repository-relative',
      'results[0]: no region.startLine',
    ]);
    if (multitoolAvailable()) {
      const file = join(mkdtempSync(join(tmpdir(), 'pg-sarif-bad-')), 'bad.sarif');
      writeFileSync(file, text);
      expect(multitoolProblems([file]).join('\n')).toMatch(/SARIF2017/);
    }
  });
});
