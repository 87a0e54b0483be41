/** Reports written in pieces are byte-identical to the whole-document text. */
import fc from 'fast-check';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coalesce, compactJsonChunks, PIECE, PLACEHOLDER, prettyJsonChunks, writeChunks } from '../../src/report/stream.js';

const whole = (doc: Record<string, unknown>, key: string, items: unknown[]): string => JSON.stringify({ ...doc, [key]: items }, null, 2);
const pieces = (doc: Record<string, unknown>, key: string, items: unknown[]): string =>
  [...prettyJsonChunks({ ...doc, [key]: PLACEHOLDER }, items)].join('');

describe('prettyJsonChunks', () => {
  it('matches JSON.stringify for empty, one and many items, nested at any depth', () => {
    const items = [{ a: 1, b: ['x', { c: null }], d: 'line\nbreak "quoted" \u0000 é 🙂' }, 2, 'three', [], {}];
    for (const list of [[], [items[0]], items]) {
      expect(pieces({ tool: 't', counts: { e: 1 } }, 'findings', list)).toBe(whole({ tool: 't', counts: { e: 1 } }, 'findings', list));
      const nested = (x: unknown): Record<string, unknown> => ({ runs: [{ tool: { name: 'p' }, results: x, after: true }] });
      expect([...prettyJsonChunks(nested(PLACEHOLDER), list)].join('')).toBe(JSON.stringify(nested(list), null, 2));
    }
  });

  it('matches JSON.stringify across the groups it stringifies items in', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ i, tags: [`t${i}`, { deep: [i, null] }], none: undefined }));
    const nested = (x: unknown): Record<string, unknown> => ({ runs: [{ results: x }] });
    expect([...prettyJsonChunks(nested(PLACEHOLDER), many)].join('')).toBe(JSON.stringify(nested(many), null, 2));
    // Groups of 32 items (small pieces die young in V8), then the document's end.
    expect([...prettyJsonChunks(nested(PLACEHOLDER), many)].length).toBe(33);
  });

  it('matches JSON.stringify for any JSON values (property-based)', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 8 }), fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }), (list, doc) => {
        const d = { ...doc };
        delete d.items;
        expect(pieces(d, 'items', list)).toBe(whole(d, 'items', list));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a document without the placeholder', () => {
    expect(() => [...prettyJsonChunks({ a: 1 }, [])]).toThrow(/PLACEHOLDER exactly once/);
  });

  it('joins chunks into writes of a bounded size and writes them to a file', () => {
    const parts = Array.from({ length: 1000 }, (_, i) => `${i},`);
    const joined = [...coalesce(parts, 100)];
    expect(joined.join('')).toBe(parts.join(''));
    expect(joined.length).toBeGreaterThan(10);
    expect(Math.max(...joined.slice(0, -1).map((c) => c.length))).toBeLessThan(110);
    const file = join(mkdtempSync(join(tmpdir(), 'pg-stream-')), 'out.json');
    writeChunks(file, parts);
    expect(readFileSync(file, 'utf8')).toBe(parts.join(''));
  });
});

describe('compactJsonChunks', () => {
  it('matches compact JSON.stringify for empty, one and many items, and any list (property)', () => {
    const nested = (x: unknown): Record<string, unknown> => ({ runs: [{ tool: { name: 'p' }, results: x, after: true }] });
    for (const n of [0, 1, 255, 256, 257, 600]) {
      const list = Array.from({ length: n }, (_, i) => ({ i, s: `v"${i}\n` }));
      expect([...compactJsonChunks(nested(PLACEHOLDER), list)].join('')).toBe(JSON.stringify(nested(list)));
    }
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), (list) => {
        expect([...compactJsonChunks(nested(PLACEHOLDER), list)].join('')).toBe(JSON.stringify(nested(list)));
      }),
      { numRuns: 100 },
    );
  });

  it('yields pieces of about PIECE characters, never one large string', () => {
    const list = Array.from({ length: 20000 }, (_, i) => ({ i, message: `finding ${i} `.repeat(8) }));
    const chunks = [...compactJsonChunks({ results: PLACEHOLDER }, list)];
    expect(chunks.join('')).toBe(JSON.stringify({ results: list }));
    const longest = Math.max(...list.map((x) => JSON.stringify(x).length + 1));
    expect(chunks.length).toBeGreaterThan(10);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(PIECE + longest);
    for (const c of coalesce(chunks)) expect(c.length).toBeLessThanOrEqual(2 * PIECE + longest);
  });

  it('refuses a document without exactly one placeholder', () => {
    expect(() => [...compactJsonChunks({ a: 1 }, [])]).toThrow(/PLACEHOLDER/);
  });
});
