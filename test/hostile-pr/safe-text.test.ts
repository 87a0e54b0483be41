/**
 * The shared neutraliser: whatever bytes a pull request puts in a name, value or file name, no
 * output line starts a GitHub workflow command or carries an Azure logging command, checked the
 * way the agent searches (an ICU collator, under which ignorable characters do not count).
 */
import fc from 'fast-check';
import { capText, safeData, safeJsonLines, safeLines, safePath, startsCommand } from '../../src/safe-text.js';

/** A culture-sensitive IndexOf stand-in (the agent's `string.IndexOf` under ICU): index of `pattern` or -1. */
export function collatorIndexOf(text: string, pattern: string, sensitivity: 'variant' | 'base' = 'variant'): number {
  const collator = new Intl.Collator('en-US', { usage: 'search', sensitivity });
  for (let i = 0; i < text.length; i++) {
    // Ignorable characters stretch a match: look a bounded distance further than the pattern.
    for (let j = i + 1; j <= Math.min(text.length, i + pattern.length + 24); j++) {
      if (collator.compare(text.slice(i, j), pattern) === 0) return i;
    }
  }
  return -1;
}

/** The runner's check: the line, trimmed of white space as .NET trims it, starts with `::`. */
function runnerCommand(line: string): boolean {
  return line.replace(/^[\s\u0085]+/u, '').startsWith('::');
}

/** Lines as the runner and the agent split them (\n, \r\n, lone \r) and as a web view might (U+2028/9, NEL). */
function outputLines(text: string): string[] {
  // eslint-disable-next-line no-control-regex -- line breaks are what is split on
  return text.split(/\r\n|[\n\r\u2028\u2029\u0085\u000b\u000c]/);
}

const PIECES = [
  '\n',
  '\r',
  '\r\n',
  '\u2028',
  '\u2029',
  '\u0085',
  '\u000b',
  '\u000c',
  '\u200b',
  '\u00ad',
  '\u2060',
  '\ufeff',
  '\u0001',
  '\u001b[31m',
  ' ',
  '\t',
  '\u00a0',
  '\u3000',
  '::',
  ':',
  '#',
  '##',
  '##vso[',
  '##VSO[',
  '##[',
  '[',
  'vso',
  'error file=README.md::x',
  'add-mask::',
  'stop-commands::tok',
  'task.setvariable variable=x]1',
  'name',
];

const hostile = fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((a) => a.join(''));

describe('safe text', () => {
  it('the collator stand-in finds what the old zero-width defusing left behind', () => {
    expect(collatorIndexOf('x #\u200b#vso[task.setvariable]', '##vso[')).toBe(2);
    expect(collatorIndexOf('x #\u00ad#vso[', '##vso[')).toBe(2);
  });

  it('defuses ##vso[ and ##[ visibly, so an ICU search no longer finds them', () => {
    const out = safeLines('a ##vso[task.setvariable variable=x]1 #\u200b#vso[b] ##[error]c ###VSO[d]');
    expect(out).toBe('a #\\#vso[task.setvariable variable=x]1 #\\u200b#vso[b] #\\#[error]c ##\\#VSO[d]');
    for (const s of ['variant', 'base'] as const) {
      expect(collatorIndexOf(out, '##vso[', s)).toBe(-1);
      expect(collatorIndexOf(out, '##[', s)).toBe(-1);
    }
  });

  it('keeps ordinary text and podguard colour sequences as they are', () => {
    expect(safeLines('podguard: 2 problems\n  3:5  \u001b[31merror\u001b[39m  rule  x\n')).toBe(
      'podguard: 2 problems\n  3:5  \u001b[31merror\u001b[39m  rule  x\n',
    );
    expect(safeLines('# plain comment ## heading: a::b')).toBe('# plain comment ## heading: a::b');
  });

  it('a file named like a workflow command does not start one', () => {
    const name = '::error file=README.md::x.yaml';
    expect(safePath(name)).toBe(':\\:error file=README.md::x.yaml');
    expect(runnerCommand(safeLines(`${name}\n  1:1 error x`))).toBe(false);
    expect(safeLines('  \u00a0::add-mask::x')).toBe('  \u00a0:\\:add-mask::x');
  });

  it('data becomes one line: every line break and ignorable character is a visible escape', () => {
    expect(safeData('a\nb\rc\u2028d\u2029e\u0085f\u200bg')).toBe('a\\nb\\rc\\u2028d\\u2029e\\u0085f\\u200bg');
    expect(safeData('x'.repeat(500))).toBe(`${'x'.repeat(200)}… (500 characters)`);
    expect(capText('😀'.repeat(150), 201)).toBe(`${'😀'.repeat(100)}… (300 characters)`);
  });

  it('no line of any hostile text starts or carries a command after safeLines or safeData', () => {
    fc.assert(
      fc.property(hostile, hostile, (a, b) => {
        for (const text of [safeLines(`${a}\n${b}`), `podguard: ${safeData(a)} ${safeData(b)}`, safeData(a)]) {
          for (const line of outputLines(text)) {
            expect(startsCommand(line)).toBe(false);
            expect(runnerCommand(line)).toBe(false);
            expect(collatorIndexOf(line, '##vso[')).toBe(-1);
            expect(collatorIndexOf(line, '##[')).toBe(-1);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('JSON output keeps parsing to the same document while no line carries a command', () => {
    fc.assert(
      fc.property(hostile, (a) => {
        const doc = { message: a, file: `${a}.yaml` };
        const json = JSON.stringify(doc, null, 2);
        const out = safeJsonLines(json);
        expect(JSON.parse(out)).toEqual(doc);
        for (const line of outputLines(out)) {
          expect(startsCommand(line)).toBe(false);
          expect(collatorIndexOf(line, '##vso[')).toBe(-1);
        }
      }),
      { numRuns: 150 },
    );
  });
});
