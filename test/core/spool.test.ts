/**
 * Findings out of the heap (src/engine/spool.ts): a scan whose findings go through the temporary
 * file, judged one file at a time, must give byte for byte what the in-memory scan gives, in every
 * format, with suppressions, `ignore:` entries (expired ones too), per-path overrides, a baseline,
 * rendered charts and overlays, and findings of every rule; and the spools themselves must keep
 * order, survive characters split across blocks and leave nothing behind.
 */
import { cpSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baselineText } from '../../src/baseline/baseline.js';
import { scan, scanStreamed } from '../../src/engine.js';
import type { ScanInput, ScanReport } from '../../src/engine.js';
import { FileSpool, Spool } from '../../src/engine/spool.js';
import { gitlabText } from '../../src/report/gitlab.js';
import { jsonText } from '../../src/report/json.js';
import { junitText } from '../../src/report/junit.js';
import { sarifText } from '../../src/report/sarif.js';
import { renderSummary } from '../../src/report/summary.js';
import { toText } from '../../src/report/text.js';
import { annotationPlan } from '../../src/platform/github.js';
import { issueFindings } from '../../src/platform/azure.js';
import type { Finding } from '../../src/types.js';
import { renderEnv } from '../helpers/render.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Every output of a scan, as text. */
function outputs(r: ScanReport): Record<string, string> {
  const touched = (f: Finding): boolean => f.range.start.line % 3 === 0;
  const plan = annotationPlan(r.findings, touched);
  const issues = issueFindings(r.findings, 7);
  return {
    json: jsonText(r),
    sarif: sarifText(r),
    text: toText(r, { color: false, explain: true }),
    baselined: toText(r, { color: false, showBaselined: true }),
    summary: renderSummary(r, { failOn: 'warning', touched, maxBytes: 6000 }),
    junit: junitText(r, 'warning'),
    gitlab: gitlabText(r),
    annotations: `${plan.hidden} ${plan.shown.map((f) => `${f.file}:${f.range.start.line}:${f.ruleId}`).join(',')}`,
    issues: `${issues.total} ${issues.first.map((f) => `${f.file}:${f.range.start.line}:${f.ruleId}`).join(',')}`,
  };
}

/** The in-memory scan and the spooled one (a spill after every finding) give the same outputs. */
async function same(input: ScanInput): Promise<number> {
  const held = await scan({ ...input, threads: 1 });
  const spooled = await scanStreamed({ ...input, threads: 1, spillAt: 1 });
  try {
    expect(spooled.findings.length).toBe(held.findings.length);
    expect([...spooled.findings]).toEqual(held.findings);
    const a = outputs(held);
    const b = outputs(spooled);
    for (const k of Object.keys(a)) expect([k, b[k]]).toEqual([k, a[k]]);
    // Read again: a spool is read as often as the sinks need.
    expect(jsonText(spooled)).toBe(a.json);
  } finally {
    spooled.findings.dispose();
  }
  return held.findings.length;
}

describe('a scan through the spool', () => {
  it('gives what the in-memory scan gives on every rule fixture (suppressions, directives, parse errors)', async () => {
    const n = await same({ root: join(ROOT, 'test/rules'), today: '2026-12-01' });
    expect(n).toBeGreaterThan(500);
  });

  it('gives the same on rendered Helm charts and kustomize overlays (findings moved to templates)', async () => {
    const n = await same({ root: join(ROOT, 'test/render/fixtures'), env: renderEnv(), today: '2026-12-01' });
    expect(n).toBeGreaterThan(20);
  });

  it('gives the same with overrides, ignore entries (one expired) and a baseline', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pg-spool-'));
    cpSync(join(ROOT, 'examples'), join(root, 'a'), { recursive: true });
    cpSync(join(ROOT, 'examples'), join(root, 'b'), { recursive: true });
    const first = await scan({ root, threads: 1 });
    // Every other finding known: the rest stay new.
    writeFileSync(join(root, 'baseline.json'), baselineText(first.findings.filter((_, i) => i % 2 === 0)));
    writeFileSync(
      join(root, '.podguard.yml'),
      [
        'baseline: baseline.json',
        'overrides:',
        '  - files: ["b/**"]',
        '    rules: { image-tag: note, privileged-container: off }',
        'ignore:',
        '  - kind: Deployment',
        '    name: orders-api',
        '    rules: [run-as-root]',
        '    reason: tracked in JIRA-1',
        '  - kind: CronJob',
        '    name: report',
        '    rules: [image-tag]',
        '    reason: old',
        '    until: "2020-01-01"',
        '',
      ].join('\n'),
    );
    const held = await scan({ root, threads: 1, today: '2026-12-01' });
    expect(held.baseline?.known).toBeGreaterThan(0);
    expect(held.findings.some((f) => f.ruleId === 'expired-suppression' && f.file === '.podguard.yml')).toBe(true);
    expect(held.findings.some((f) => f.suppression?.kind === 'external')).toBe(true);
    await same({ root, today: '2026-12-01' });
    const spooled = await scanStreamed({ root, threads: 1, today: '2026-12-01', spillAt: 1 });
    expect(spooled.baseline).toEqual(held.baseline);
    spooled.findings.dispose();
  });
});

const finding = (file: string, line: number, message = 'm'): Finding => ({
  ruleId: 'image-tag',
  messageId: 'latest',
  level: 'warning',
  message,
  file,
  range: { start: { line, column: 1 }, end: { line, column: 2 } },
  identity: `Pod/${file}`,
  fingerprint: `${file}:${line}`,
});

/** podguard-spool-* directories in the temporary directory. */
const spoolDirs = (): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith('podguard-spool-'));

describe('FileSpool', () => {
  it('gives each file its findings in arrival order, from the file and from memory', () => {
    const s = new FileSpool(() => false, 3);
    const order = [finding('b', 1), finding('a', 1), finding('b', 2), finding('a', 2), finding('b', 3)];
    for (const f of order) s.add(f);
    expect(s.files().sort()).toEqual(['a', 'b']);
    expect(s.take('b')).toEqual([
      [0, order[0]],
      [2, order[2]],
      [4, order[4]],
    ]);
    expect(s.take('b')).toEqual([]);
    expect(s.take('a').map(([seq]) => seq)).toEqual([1, 3]);
    expect(s.files()).toEqual([]);
    s.dispose();
  });

  it('keeps the kept files in memory and takes them out in arrival order; moved findings keep their numbers', () => {
    const s = new FileSpool((f) => f.startsWith('stream'), 1);
    s.add(finding('stream-2', 1));
    s.add(finding('plain', 1));
    s.add(finding('stream-1', 1));
    const kept = s.takeKept();
    expect(kept.map(([seq, f]) => `${seq}:${f.file}`)).toEqual(['0:stream-2', '2:stream-1']);
    // The same objects (rendered findings are changed in place when they move).
    expect(kept[0]![1].file).toBe('stream-2');
    s.put(0, { ...kept[0]![1], file: 'template' });
    expect(s.take('template').map(([seq]) => seq)).toEqual([0]);
    expect(s.take('plain').map(([seq]) => seq)).toEqual([1]);
    s.dispose();
  });

  it('keeps thousands of chunks per file in order (its index grows)', () => {
    const s = new FileSpool(() => false, 1);
    const made: Finding[] = [];
    for (let i = 0; i < 3000; i++) {
      const f = finding(`f${i % 3}`, i);
      made.push(f);
      s.add(f);
    }
    for (const file of ['f2', 'f0', 'f1']) {
      const got = s.take(file);
      expect(got.map(([, f]) => f)).toEqual(made.filter((f) => f.file === file));
      expect(got.map(([seq]) => seq)).toEqual(made.flatMap((f, i) => (f.file === file ? [i] : [])));
    }
    expect(s.files()).toEqual([]);
    s.dispose();
  });

  it('refuses a spill threshold below 1', () => {
    expect(() => new FileSpool(() => false, 0)).toThrow('spillAt');
    expect(() => new Spool(Number.NaN)).toThrow('spillAt');
  });
});

describe('Spool', () => {
  it('reads back in order, as often as asked, characters split across its read blocks included', () => {
    const before = spoolDirs();
    const s = new Spool(100);
    // Three-byte and four-byte characters: some must straddle the reader's block boundaries.
    const text = 'é€𝄞'.repeat(200);
    const made: Finding[] = [];
    for (let i = 0; i < 5003; i++) {
      const f = finding(`f${i % 17}`, i, `${i} ${text.slice(i % 7)}`);
      made.push(f);
      s.push(f);
    }
    expect(s.length).toBe(5003);
    expect([...s]).toEqual(made);
    expect([...s].length).toBe(5003);
    // Unlinked as soon as opened (where the system allows it): nothing in the temporary directory.
    if (process.platform !== 'win32') expect(spoolDirs()).toEqual(before);
    s.dispose();
    expect(() => [...s]).toThrow('disposed');
    expect(spoolDirs()).toEqual(before);
  });

  it('gives the same at its threshold exactly and one past it', () => {
    for (const n of [10, 11]) {
      const s = new Spool(10);
      const made = Array.from({ length: n }, (_, i) => finding('a', i));
      for (const f of made) s.push(f);
      expect([...s]).toEqual(made);
      s.dispose();
    }
  });

  it('stays in memory below its threshold', () => {
    const s = new Spool(10);
    const f = finding('a', 1);
    s.push(f);
    // Not copied through the file: the very object.
    expect([...s][0]).toBe(f);
    s.dispose();
  });
});
