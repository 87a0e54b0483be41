/** Suppressions end to end: each form, justification, expiry, outputs and gating. */
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../src/engine.js';
import { countByLevel, gates } from '../../src/findings.js';
import { ALL_RULES } from '../../src/rules/index.js';
import type { CrossFileRule, Rule } from '../../src/rule.js';
import type { SourceFile } from '../../src/parse/source.js';
import { parseDirectiveBody } from '../../src/suppress/directives.js';
import type { Directive } from '../../src/suppress/directives.js';
import { applySuppressions } from '../../src/suppress/apply.js';
import type { Finding } from '../../src/types.js';
import { toSarif } from '../../src/report/sarif.js';
import { toText } from '../../src/report/text.js';
import { toJson } from '../../src/report/json.js';
import { renderSummary } from '../../src/report/summary.js';
import { dfRange } from '../../src/parse/dockerfile.js';
import { onlyRules } from '../helpers/rules.js';

const SUPPRESSION_RULES = ['suppression-without-reason', 'expired-suppression', 'unused-suppression', 'invalid-suppression'];

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-suppress-'));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}

/** A test-only Dockerfile rule: reports every USER root instruction (its first line). */
const userRoot: Rule = {
  meta: {
    ...ALL_RULES.find((r) => r.meta.id === 'privileged-container')!.meta,
    id: 'test-user-root',
    kinds: ['dockerfile'],
    messages: { root: 'USER root' },
  },
  check(file, ctx) {
    if (file.kind !== 'dockerfile') return;
    for (const stage of file.model.stages) {
      for (const ins of stage.instructions) {
        if (ins.getKeyword() === 'USER' && /\broot\b/.test(ins.getTextContent())) {
          ctx.report({ messageId: 'root', at: dfRange(ins.getRange()), identity: `stage ${stage.index}` });
        }
      }
    }
  },
};

/** A test-only cross-file rule: reports from finish() on the first line of every Pod file seen. */
const crossFile: CrossFileRule<{ files: SourceFile[] }> = {
  meta: { ...userRoot.meta, id: 'test-cross-file', kinds: ['kubernetes'], messages: { seen: 'seen' } },
  initialState: () => ({ files: [] }),
  check(file, ctx) {
    ctx.crossFile.files.push(file.source);
  },
  finish(ctx) {
    for (const f of ctx.crossFile.files) ctx.report({ messageId: 'seen', file: f, at: f.lines.lineRange(2, f.text), identity: 'x' });
  },
};

const pod = (extra = ''): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n${extra}        privileged: true\n`;

describe('suppressions', () => {
  it('parses rule ids, until= and the reason', () => {
    expect(parseDirectiveBody(' a-b, c until=2027-03-31 -- because -- really ')).toEqual({
      ruleIds: ['a-b', 'c'],
      reason: 'because -- really',
      until: '2027-03-31',
      problems: [],
    });
    expect(parseDirectiveBody(' a').reason).toBe('');
    expect(parseDirectiveBody(' a until=2027-02-29 -- x').problems).toEqual([{ messageId: 'badDate', data: { value: '2027-02-29' } }]);
  });

  it('marks each YAML form inSource with its justification, keeps it out of text and gates', async () => {
    const root = repo({
      'line.yaml': pod('        # podguard-ignore privileged-container -- CNI plugin (NET-1)\n'),
      'eol.yaml': pod().replace('privileged: true', 'privileged: true # podguard-ignore privileged-container -- eol reason'),
      'file.yaml': `# podguard-ignore-file privileged-container -- lab only\n${pod()}`,
      'object.yaml': pod().replace(
        '  name: p\n',
        '  name: p\n  annotations:\n    podguard.dev/ignore: "privileged-container -- object reason"\n',
      ),
      'container.yaml': pod().replace(
        '  name: p\n',
        '  name: p\n  annotations:\n    podguard.dev/ignore.c: privileged-container -- container reason\n',
      ),
      'other-container.yaml': pod().replace(
        '  name: p\n',
        '  name: p\n  annotations:\n    podguard.dev/ignore.d: privileged-container -- wrong one\n',
      ),
    });
    const result = await scan({ root, today: '2026-12-01', config: onlyRules('privileged-container', ...SUPPRESSION_RULES) });
    const priv = result.findings.filter((f) => f.ruleId === 'privileged-container');
    const byFile = Object.fromEntries(priv.map((f) => [f.file, f.suppression?.justification ?? null]));
    expect(byFile).toEqual({
      'line.yaml': 'CNI plugin (NET-1)',
      'eol.yaml': 'eol reason',
      'file.yaml': 'lab only',
      'object.yaml': 'object reason',
      'container.yaml': 'container reason',
      'other-container.yaml': null,
    });
    expect(priv.filter((f) => f.suppression).every((f) => f.suppression!.kind === 'inSource')).toBe(true);
    expect(result.findings.filter((f) => f.ruleId === 'invalid-suppression').map((f) => f.file)).toEqual(['other-container.yaml']);

    const sarif = toSarif(result) as { runs: { results: { suppressions?: unknown; locations: unknown }[] }[] };
    const suppressed = sarif.runs[0]!.results.filter((r) => r.suppressions);
    expect(suppressed).toHaveLength(5);
    expect(suppressed[0]!.suppressions).toEqual([{ kind: 'inSource', justification: 'container reason' }]);

    const text = toText(result);
    expect(text).not.toContain('line.yaml');
    expect(text).toContain('other-container.yaml');
    expect(text).toMatch(/; 5 suppressed\.\n$/);
    expect((toJson(result).findings as { suppressed?: unknown }[]).filter((f) => f.suppressed)).toHaveLength(5);
    const summary = renderSummary(result, { failOn: 'error' });
    expect(summary).toContain('| suppressed | 5 |');
    expect(summary).toContain('| other-container.yaml:');
    expect(summary).not.toContain('`line.yaml:');
    expect(countByLevel(result.findings).error).toBe(1);
    expect(priv.filter((f) => gates(f, 'note')).map((f) => f.file)).toEqual(['other-container.yaml']);
  });

  it('maps a pod-level finding to its container for the container-scoped annotation', async () => {
    const yaml =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    metadata:\n      annotations:\n        podguard.dev/ignore.a: run-as-root -- a is fine\n    spec:\n      securityContext:\n        runAsUser: 0\n      containers:\n        - name: a\n          image: a:1\n        - name: b\n          image: b:1\n';
    const result = await scan({ root: repo({ 'd.yaml': yaml }), today: '2026-12-01' });
    const root = result.findings.filter((f) => f.ruleId === 'run-as-root');
    expect(root.map((f) => [f.identity, f.range.start.line, Boolean(f.suppression)])).toEqual([
      ['Deployment/d container "a"', 12, true],
      ['Deployment/d container "b"', 12, false],
    ]);
  });

  it('suppresses Dockerfile findings from the line above, across continuation lines', async () => {
    const df = [
      'FROM alpine:3.20',
      '# podguard-ignore test-user-root -- the entrypoint drops privileges with su-exec (IMG-2)',
      'USER root',
      'RUN apk add --no-cache \\',
      '    su-exec',
      '# podguard-ignore test-user-root -- second stage too',
      'USER \\',
      '  root',
      'USER root',
      '',
    ].join('\n');
    const result = await scan({ root: repo({ Dockerfile: df }), rules: [...ALL_RULES, userRoot], today: '2026-12-01' });
    const mine = result.findings.filter((f) => f.ruleId === 'test-user-root');
    expect(mine.map((f) => [f.range.start.line, f.suppression?.justification ?? null])).toEqual([
      [3, 'the entrypoint drops privileges with su-exec (IMG-2)'],
      [7, 'second stage too'],
      [9, null],
    ]);
    expect(result.findings.filter((f) => f.ruleId.endsWith('-suppression'))).toEqual([]);
  });

  it('suppresses findings a rule reports from finish(), after the file text is gone', async () => {
    const root = repo({ 'a.yaml': `# podguard-ignore-file test-cross-file -- cross-file ok\n${pod()}`, 'b.yaml': pod() });
    const result = await scan({ root, rules: [...ALL_RULES, crossFile], today: '2026-12-01' });
    const cross = result.findings.filter((f) => f.ruleId === 'test-cross-file');
    expect(cross.map((f) => [f.file, Boolean(f.suppression)])).toEqual([
      ['a.yaml', true],
      ['b.yaml', false],
    ]);
  });

  it('stops an expired suppression on the day after its until= date, using the injected today', async () => {
    const root = repo({ 'p.yaml': pod('        # podguard-ignore privileged-container until=2027-03-31 -- vendor fix due Q1\n') });
    const on = await scan({ root, today: '2027-03-31' });
    const after = await scan({ root, today: new Date('2027-04-01T00:00:00Z') });
    const state = (r: typeof on): [boolean, string[]] => [
      Boolean(r.findings.find((f) => f.ruleId === 'privileged-container')!.suppression),
      r.findings.filter((f) => f.ruleId === 'expired-suppression').map((f) => f.message),
    ];
    expect(state(on)).toEqual([true, []]);
    const [suppressed, messages] = state(after);
    expect(suppressed).toBe(false);
    expect(messages).toEqual([expect.stringContaining('expired on 2027-03-31')]);
    await expect(scan({ root, today: '31/03/2027' })).rejects.toThrow('today must be YYYY-MM-DD');
  });

  it('never lets a directive suppress the findings about directives', async () => {
    const root = repo({
      'p.yaml': `# podguard-ignore-file unused-suppression,invalid-suppression -- try to hide it\n# podguard-ignore run-as-root -- stale\n${pod()}`,
    });
    const result = await scan({ root, today: '2026-12-01' });
    const meta = result.findings.filter((f) => f.ruleId === 'unused-suppression');
    expect(meta.every((f) => !f.suppression)).toBe(true);
    expect(meta.length).toBeGreaterThan(0);
  });

  // The engine emits findings about directives after applying suppressions, so the guard in
  // applySuppressions is only reached when a caller hands it such findings: call it directly.
  it('applySuppressions leaves findings about directives unsuppressed even when a directive names them', () => {
    const range = { start: { line: 3, column: 1 }, end: { line: 3, column: 10 } };
    const finding = (ruleId: string): Finding => ({
      ruleId,
      messageId: 'm',
      level: 'warning',
      message: 'm',
      file: 'p.yaml',
      range,
      identity: 'x',
      fingerprint: ruleId,
    });
    const ids = [...SUPPRESSION_RULES, 'privileged-container'];
    const directive: Directive = {
      form: 'file comment',
      ruleIds: ids,
      reason: 'try to hide it',
      range: { start: { line: 1, column: 1 }, end: { line: 1, column: 40 } },
      scope: { kind: 'file' },
      problems: [],
      text: 'podguard-ignore-file',
    };
    const findings = ids.map(finding);
    applySuppressions(findings, new Map([['p.yaml', [directive]]]), {
      today: '2026-12-01',
      knownRules: new Set(ids),
      enabledRules: new Set(ids),
      reasonRequired: true,
    });
    expect(findings.filter((f) => f.suppression).map((f) => f.ruleId)).toEqual(['privileged-container']);
  });
});
