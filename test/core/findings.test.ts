/** src/findings.ts: the shown level, order, counts and the gate, in one place. */
import { bySeverity, compareFindings, countByLevel, displayLevel, gates } from '../../src/findings.js';
import type { Finding, Level } from '../../src/types.js';

function finding(level: Level, line: number, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'r',
    messageId: 'm',
    level,
    message: 'x',
    file: 'a.yaml',
    range: { start: { line, column: 1 }, end: { line, column: 2 } },
    identity: 'i',
    fingerprint: `f${line}`,
    ...extra,
  };
}

describe('findings', () => {
  it('shows a baselined finding as a note, whatever its level', () => {
    expect(displayLevel(finding('error', 1))).toBe('error');
    expect(displayLevel(finding('error', 1, { baselined: true }))).toBe('note');
  });

  it('counts shown levels and leaves suppressed findings out', () => {
    const all = [
      finding('error', 1),
      finding('error', 2, { baselined: true }),
      finding('warning', 3, { suppression: { kind: 'inSource', justification: 'ok' } }),
    ];
    expect(countByLevel(all)).toEqual({ error: 1, warning: 0, note: 1 });
  });

  it('gates on the real level, never on baselined or suppressed findings', () => {
    expect(gates(finding('warning', 1), 'warning')).toBe(true);
    expect(gates(finding('warning', 1), 'error')).toBe(false);
    expect(gates(finding('error', 1), 'never')).toBe(false);
    expect(gates(finding('error', 1, { baselined: true }), 'note')).toBe(false);
  });

  it('orders by file position, and by shown severity for people', () => {
    const a = finding('note', 1);
    const b = finding('error', 2);
    const c = finding('error', 3, { baselined: true });
    expect([b, c, a].sort(compareFindings).map((f) => f.range.start.line)).toEqual([1, 2, 3]);
    expect(bySeverity([a, c, b]).map((f) => f.range.start.line)).toEqual([2, 1, 3]);
  });
});
