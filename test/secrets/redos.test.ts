/**
 * Every secret pattern runs in linear time: each detector's patterns (and each RUN set-up
 * pattern) get adversarial inputs built from their keywords and alphabet, and their
 * backtracking steps are counted at two sizes (test/helpers/regex-steps.ts): doubling the input
 * must about double the work. No clock is read: the bound is on steps.
 */
import { DETECTORS } from '../../src/secrets/detectors.js';
import { SETUPS } from '../../src/rules/secret-dockerfile-run.js';
import { safeErrorText } from '../../src/redact.js';
import { collectPatterns, worstGrowth } from '../helpers/regex-linear.js';

/** Units that attack a keyword: the keyword repeated, glued to separators and long runs. */
function units(keywords: readonly string[]): string[] {
  const out = ['A', 'a0+/', 'a:', 'x://u:', '=;', 'eyJa.', '-----BEGIN RSA PRIVATE KEY-----\nAAAA'];
  for (const kw of keywords.slice(0, 2)) {
    for (const k of new Set([kw, kw.toUpperCase(), kw.replace(/^./, (c) => c.toUpperCase())])) out.push(k, `${k}Ab0=;`, `${k} `);
  }
  return out;
}

/**
 * The regex literals written inside a function (detectors that keep their patterns local):
 * read from its source, kept when they compile.
 */
function literalPatterns(fn: (...args: never[]) => unknown): RegExp[] {
  const out: RegExp[] = [];
  for (const m of fn.toString().matchAll(/(?<=[(,=:!&|?]\s*)\/((?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\n[])+)\/([dgimsuy]*)/g)) {
    try {
      out.push(new RegExp(m[1]!, m[2]));
    } catch {
      // Not a regex literal (a division): skip.
    }
  }
  return out;
}

const RUN_KEYWORDS = ['docker login -p ', 'az login ', 'echo a | docker login ', 'aws configure set ', '_authToken=', ':_auth'];

describe('linear-time secret patterns', () => {
  it.each(DETECTORS.map((d) => [d.id, d]))('detector %s: steps grow linearly on its keyword attacks', (_id, d) => {
    const patterns = [...collectPatterns({ d }), ...literalPatterns(d.find).map((re, i) => ({ where: `find literal ${i}`, re }))];
    expect(patterns.length).toBeGreaterThan(0);
    for (const p of patterns) {
      const g = worstGrowth(p.re, 0, units(d.keywords));
      expect([p.where, g.unit, g.linear]).toEqual([p.where, g.unit, true]);
    }
    // The detector as a whole (its keyword scan and checks around the patterns) on such input.
    for (const u of units(d.keywords)) expect(Array.isArray(d.find(u.repeat(Math.ceil(65_536 / u.length))))).toBe(true);
  });

  it.each(SETUPS.map((s, i) => [`${s.messageId}#${i}`, s.pattern]))('RUN set-up pattern %s', (_id, pattern) => {
    const g = worstGrowth(pattern, 0, units(RUN_KEYWORDS));
    expect([g.unit, g.linear]).toEqual([g.unit, true]);
  });

  it('reads the patterns a detector keeps inside find()', () => {
    const privateKey = DETECTORS.find((d) => d.id === 'privateKey')!;
    expect(literalPatterns(privateKey.find).map((r) => r.source)).toContain(
      '-{3,5}BEGIN ((?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY(?: BLOCK)?)-{3,5}',
    );
  });

  it('error sanitizing reads at most 2,000 characters of a message and writes at most 300', () => {
    for (const u of units(['"', "'", '`', '\\"'])) {
      const long = u.repeat(Math.ceil((1 << 20) / u.length));
      const text = safeErrorText(new Error(long));
      expect(text).toBe(safeErrorText(new Error(long.slice(0, 2000 - 'Error: '.length))));
      expect(text.length).toBeLessThanOrEqual(300);
    }
  });
});
