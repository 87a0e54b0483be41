/**
 * The baseline module's own contract, pinned for mutation testing (issue #21): which findings a
 * baseline holds and in what order, the exact file text, and every refusal of a bad file.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASELINE_VERSION, baselineEntries, baselineText, parseBaseline, readBaseline } from '../../src/baseline/baseline.js';
import { ConfigurationError } from '../../src/types.js';
import type { Finding } from '../../src/types.js';

const range = { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } };
const fp = (n: number): string => n.toString(16).padStart(32, '0');

function finding(over: Partial<Finding>): Finding {
  return { ruleId: 'r', messageId: 'm', level: 'error', message: 'msg', file: 'a.yaml', range, identity: 'i', fingerprint: fp(1), ...over };
}

function refusal(text: string): string {
  try {
    parseBaseline(text, 'b.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigurationError);
    return (err as Error).message;
  }
  throw new Error('parseBaseline accepted the text');
}

describe('baselineEntries', () => {
  it('leaves out suppressed findings, internal errors and repeated fingerprints', () => {
    const entries = baselineEntries([
      finding({ fingerprint: fp(1) }),
      finding({ fingerprint: fp(2), suppression: { kind: 'inSource', justification: 'x' } }),
      finding({ fingerprint: fp(3), ruleId: 'internal-error' }),
      finding({ fingerprint: fp(1), identity: 'other' }),
      finding({ fingerprint: fp(4), ruleId: 'internal-error-like' }),
    ]);
    expect(entries).toEqual([
      { ruleId: 'internal-error-like', file: 'a.yaml', identity: 'i', fingerprint: fp(4) },
      { ruleId: 'r', file: 'a.yaml', identity: 'i', fingerprint: fp(1) },
    ]);
  });

  it('keeps only the four baseline fields', () => {
    const [e] = baselineEntries([finding({ properties: { p: 1 }, baselined: true, formerFingerprints: [fp(9)] })]);
    expect(Object.keys(e!)).toEqual(['ruleId', 'file', 'identity', 'fingerprint']);
  });

  it('sorts by file, then rule, then identity, then fingerprint', () => {
    const input = [
      finding({ file: 'b', ruleId: 'a', identity: 'a', fingerprint: fp(1) }),
      finding({ file: 'a', ruleId: 'b', identity: 'a', fingerprint: fp(2) }),
      finding({ file: 'a', ruleId: 'a', identity: 'b', fingerprint: fp(3) }),
      finding({ file: 'a', ruleId: 'a', identity: 'a', fingerprint: fp(5) }),
      finding({ file: 'a', ruleId: 'a', identity: 'a', fingerprint: fp(4) }),
    ];
    const order = (list: Finding[]): string[] => baselineEntries(list).map((e) => e.fingerprint);
    const want = [fp(4), fp(5), fp(3), fp(2), fp(1)];
    expect(order(input)).toEqual(want);
    expect(order([...input].reverse())).toEqual(want);
  });
});

describe('baselineText', () => {
  it('is fixed-order two-space JSON with a trailing newline', () => {
    const text = baselineText([finding({ identity: 'Pod/p container "c"', fingerprint: fp(7) })]);
    expect(text).toBe(
      `{\n  "tool": "podguard",\n  "version": 1,\n  "findings": [\n    {\n      "ruleId": "r",\n      "file": "a.yaml",\n      "identity": "Pod/p container \\"c\\"",\n      "fingerprint": "${fp(7)}"\n    }\n  ]\n}\n`,
    );
    expect(BASELINE_VERSION).toBe(1);
  });

  it('masks identities only, through the given redactor', () => {
    const text = baselineText([finding({ ruleId: 'sec', file: 'sec.yaml', identity: 'has sec in it' })], (t) => t.replace(/sec/g, '***'));
    const data = JSON.parse(text) as { findings: Record<string, string>[] };
    expect(data.findings[0]).toEqual({ ruleId: 'sec', file: 'sec.yaml', identity: 'has *** in it', fingerprint: fp(1) });
  });

  it('writes an empty list when nothing is left', () => {
    expect(JSON.parse(baselineText([finding({ ruleId: 'internal-error' })]))).toEqual({ tool: 'podguard', version: 1, findings: [] });
  });
});

describe('parseBaseline', () => {
  it('returns the fingerprints', () => {
    const set = parseBaseline(
      JSON.stringify({ tool: 'podguard', version: 1, findings: [{ fingerprint: fp(1) }, { fingerprint: fp(2) }, { fingerprint: fp(1) }] }),
      'b.json',
    );
    expect([...set]).toEqual([fp(1), fp(2)]);
    expect(parseBaseline('{"version": 1, "findings": []}', 'b.json').size).toBe(0);
  });

  it('never quotes the text of a file that is not JSON', () => {
    expect(refusal('{"version": 1, "token": "hunter2hunter2",')).toBe(
      'b.json: the baseline is not valid JSON; rewrite it with --write-baseline',
    );
  });

  it.each(['[]', 'null', '1', '"x"', '[{"version": 1, "findings": []}]'])('refuses %s as not a baseline', (text) => {
    expect(refusal(text)).toBe('b.json: is not a podguard baseline (expected {"tool": "podguard", "version": 1, "findings": [...]})');
  });

  it('names a newer version', () => {
    expect(refusal('{"version": 2, "findings": []}')).toBe(
      'b.json: baseline version 2 was written by a newer podguard (this one reads version 1)',
    );
  });

  it.each(['{"findings": []}', '{"version": 0, "findings": []}', '{"version": "1", "findings": []}', '{"version": "2", "findings": []}'])(
    'wants version 1 in %s',
    (text) => {
      expect(refusal(text)).toBe('b.json: "version" must be 1 (expected {"tool": "podguard", "version": 1, "findings": [...]})');
    },
  );

  it.each(['{"version": 1}', '{"version": 1, "findings": {}}', '{"version": 1, "findings": "x"}'])(
    'wants a findings list in %s',
    (text) => {
      expect(refusal(text)).toBe('b.json: "findings" must be a list (expected {"tool": "podguard", "version": 1, "findings": [...]})');
    },
  );

  it.each([
    ['null entry', 'null'],
    ['no fingerprint', '{}'],
    ['number', '{"fingerprint": 1}'],
    ['31 hex', `{"fingerprint": "${fp(1).slice(1)}"}`],
    ['33 hex', `{"fingerprint": "${fp(1)}0"}`],
    ['prefix', `{"fingerprint": "x${fp(1)}"}`],
    ['suffix', `{"fingerprint": "${fp(1)}x"}`],
    ['upper case', `{"fingerprint": "${'A'.repeat(32)}"}`],
  ])('refuses an entry with %s, naming its index', (_kind, entry) => {
    expect(refusal(`{"version": 1, "findings": [{"fingerprint": "${fp(1)}"}, ${entry}]}`)).toBe(
      'b.json: "findings.1.fingerprint" must be a 32-character hex fingerprint',
    );
  });
});

describe('readBaseline', () => {
  const root = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-mut-baseline-'));
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ version: 1, findings: [{ fingerprint: fp(3) }] }));
    return dir;
  };

  it('reads a path relative to the root, or an absolute one without a root', () => {
    const dir = root();
    expect([...readBaseline('b.json', 'b.json', dir)]).toEqual([fp(3)]);
    expect([...readBaseline(join(dir, 'b.json'), 'b.json')]).toEqual([fp(3)]);
  });

  it('says how to create a missing one', () => {
    expect(() => readBaseline('nope.json', 'nope.json', root())).toThrow(
      new ConfigurationError('nope.json: baseline file not found (create it with: podguard scan --write-baseline nope.json)'),
    );
  });

  it('passes other refusals through unchanged', () => {
    const dir = root();
    mkdirSync(join(dir, 'd.json'));
    expect(() => readBaseline('d.json', 'd.json', dir)).toThrow('d.json: the baseline is not a regular file');
    const outside = root();
    expect(() => readBaseline(join(outside, 'b.json'), 'b.json', dir, true)).toThrow(
      'b.json: the baseline must be a file inside the repository',
    );
    expect([...readBaseline(join(outside, 'b.json'), 'b.json', dir)]).toEqual([fp(3)]);
  });
});
