/**
 * Every secret pattern runs in linear time: each detector (and each RUN set-up pattern) gets
 * 1 MB adversarial inputs built from its own keywords and alphabet. A quadratic pattern takes
 * minutes on these; a linear one takes milliseconds.
 */
import { DETECTORS } from '../../src/secrets/detectors.js';
import { SETUPS } from '../../src/rules/secret-dockerfile-run.js';
import { safeErrorText } from '../../src/report/redact.js';

const MB = 1 << 20;
const fill = (unit: string): string => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);

/** Adversarial inputs for a keyword: the keyword repeated, followed by long runs, glued to separators. */
function inputs(keywords: readonly string[]): string[] {
  const out = [
    fill('A'),
    fill('a0+/'),
    fill('a:'),
    fill('x://u:'),
    fill('=;'),
    fill('eyJa.'),
    fill('-----BEGIN RSA PRIVATE KEY-----\nAAAA'),
  ];
  for (const kw of keywords.slice(0, 2)) {
    for (const k of new Set([kw, kw.toUpperCase(), kw.replace(/^./, (c) => c.toUpperCase())])) {
      out.push(fill(k), `${k}${fill('a')}`, fill(`${k}Ab0=;`), fill(`${k} `));
    }
  }
  return out;
}

// Generous for a loaded CI machine; a quadratic pattern needs minutes on these inputs.
const BUDGET_MS = 6000;

describe('linear-time secret patterns', () => {
  it.each(DETECTORS.map((d) => [d.id, d]))('detector %s', (_id, d) => {
    const started = performance.now();
    for (const text of inputs(d.keywords)) d.find(text);
    expect(performance.now() - started).toBeLessThan(BUDGET_MS);
  });

  it.each(SETUPS.map((s, i) => [`${s.messageId}#${i}`, s.pattern]))('RUN set-up pattern %s', (_id, pattern) => {
    const started = performance.now();
    for (const text of inputs(['docker login -p ', 'az login ', 'echo a | docker login ', 'aws configure set ', '_authToken=', ':_auth'])) {
      for (const m of text.matchAll(new RegExp(pattern.source, pattern.flags))) void m;
    }
    expect(performance.now() - started).toBeLessThan(BUDGET_MS);
  });

  it('error sanitizing', () => {
    const started = performance.now();
    for (const text of inputs(['"', "'", '`', '\\"'])) safeErrorText(new Error(text));
    expect(performance.now() - started).toBeLessThan(BUDGET_MS);
  });
});
