/**
 * No function in src/ over LIMIT lines (scripts/long-functions.mjs) but the ones ALLOWED names:
 * data tables, and functions being shortened. An allowed entry that is no longer long fails too,
 * so the list only shrinks.
 */
import { ALLOWED, LIMIT, functionsOf, keyOf, longFunctions } from '../../scripts/long-functions.mjs';

const body = (n: number): string => Array.from({ length: n }, (_, i) => `  x += ${i};`).join('\n');

describe('long functions', () => {
  const long = longFunctions();

  it('finds every kind of function, named as the allow-list names them', () => {
    const text = [
      `export function declared(): void {\n${body(3)}\n}`,
      `const arrow = (): void => {\n${body(1)}\n};`,
      `const expr = function (): void {\n${body(1)}\n};`,
      `class C {\n  constructor() {}\n  method(): void {\n${body(2)}\n  }\n  get value(): number {\n    return 1;\n  }\n}`,
      `items.forEach((i) => {\n${body(1)}\n});`,
      `const o = { prop: (): void => {} };`,
    ].join('\n');
    const found = functionsOf('x.ts', text).map((f) => `${f.name}:${f.lines}`);
    expect(found).toEqual(['declared:5', 'arrow:3', 'expr:3', 'constructor:1', 'method:4', 'value:3', 'forEach callback:3', 'prop:1']);
  });

  it('counts a function from its first line to its last (the check can fail)', () => {
    const [f] = functionsOf('y.ts', `// head\nfunction big(): void {\n${body(LIMIT - 1)}\n}\n`);
    expect(f).toEqual({ file: 'y.ts', name: 'big', line: 2, lines: LIMIT + 1 });
  });

  it(`has no function over ${LIMIT} lines in src/ but the allowed ones`, () => {
    const unknown = long.filter((f) => !ALLOWED.includes(keyOf(f))).map((f) => `src/${f.file}:${f.line} ${f.name} (${f.lines} lines)`);
    expect(unknown).toEqual([]);
  });

  it('allows only functions that are still long (the list only shrinks)', () => {
    const present = new Set(long.map(keyOf));
    expect(ALLOWED.filter((k) => !present.has(k))).toEqual([]);
    expect(new Set(ALLOWED).size).toBe(ALLOWED.length);
  });
});
