/**
 * Work an attacker can multiply: thousands of distinct secret literals, thousands of suppression
 * comments. Each input is scaled 10x and the work (matcher builds and steps, directive checks)
 * must grow about 10x, not 100x. Counted, never timed.
 */
import { Redactor } from '../../src/redact.js';
import { applySuppressions } from '../../src/suppress/apply.js';
import type { Directive } from '../../src/suppress/directives.js';
import type { Finding } from '../../src/types.js';

/** A deterministic credential-like token per index (a fixed LCG: no flaky ratios). */
const token = (i: number): string => {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let x = (i + 1) * 2654435761;
  let out = 'Tk';
  for (let k = 0; k < 14; k++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += abc[x % abc.length];
  }
  return `${out}${i.toString(36)}`;
};

/** Redacts the way a scan does: every secret registered, then each finding's message at output. */
function redactorWork(n: number): { builds: number; statesBuilt: number; steps: number; leaked: number } {
  const secrets = Array.from({ length: n }, (_, i) => token(i));
  const r = new Redactor();
  for (const s of secrets) r.add(s);
  let leaked = 0;
  for (const s of secrets) if (r.redact(`the Secret "app" holds ${s} in key password`).includes(s)) leaked++;
  return { ...r.stats, leaked };
}

function directiveWork(n: number): number {
  const pos = (line: number, column = 1): { line: number; column: number } => ({ line, column });
  const directives: Directive[] = [];
  const findings: Finding[] = [];
  for (let i = 0; i < n; i++) {
    const line = 10 * i + 2;
    directives.push({
      form: 'comment',
      ruleIds: ['run-as-root'],
      reason: 'accepted',
      range: { start: pos(line - 1), end: pos(line - 1, 40) },
      scope: { kind: 'lines', from: line, to: line },
      problems: [],
      text: `# podguard-ignore run-as-root -- accepted ${i}`,
    });
    for (const ruleId of ['run-as-root', 'privileged-container']) {
      findings.push({
        ruleId,
        messageId: 'm',
        level: 'error',
        message: 'x',
        file: 'many.yaml',
        range: { start: pos(line, 5), end: pos(line, 9) },
        identity: `Pod/p${i}`,
        fingerprint: `${ruleId}${i}`,
      });
    }
  }
  const stats = { checks: 0 };
  applySuppressions(findings, new Map([['many.yaml', directives]]), {
    today: '2026-01-01',
    knownRules: new Set(['run-as-root', 'privileged-container']),
    enabledRules: new Set(['run-as-root', 'privileged-container']),
    reasonRequired: true,
    stats,
  });
  expect(findings.filter((f) => f.suppression).length).toBe(n);
  return stats.checks;
}

describe('work grows linearly with what a pull request plants', () => {
  it('the redactor builds its matcher once and scans in steps proportional to the text', () => {
    const small = redactorWork(300);
    const large = redactorWork(3000);
    expect([small.leaked, large.leaked]).toEqual([0, 0]);
    expect([small.builds, large.builds]).toEqual([1, 1]);
    const states = large.statesBuilt / small.statesBuilt;
    const steps = large.steps / small.steps;
    expect(states).toBeGreaterThan(6);
    expect(states).toBeLessThan(14);
    expect(steps).toBeGreaterThan(6);
    expect(steps).toBeLessThan(14);
  });

  it('redacting after each new secret (old engine behaviour) would rebuild; registering first builds once', () => {
    const r = new Redactor();
    for (let i = 0; i < 50; i++) r.add(token(i));
    for (let i = 0; i < 50; i++) r.redact('text');
    expect(r.stats.builds).toBe(1);
  });

  it('suppression directives are matched through an index: checks grow with findings, not findings x directives', () => {
    const small = directiveWork(200);
    const large = directiveWork(2000);
    expect(small).toBe(200);
    expect(large / small).toBeGreaterThan(6);
    expect(large / small).toBeLessThan(14);
  });
});
