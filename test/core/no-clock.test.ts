/**
 * No test asserts elapsed time: on a shared machine a clock fails tests that are right. Work is
 * bounded by counts instead (steps, files checked, heap samples). This reads every test file
 * and fails on a clock read (`Date.now()`, `performance.now()`, `process.hrtime`) or an elapsed
 * figure (`durationMs`, `.ms`) inside an expect(), or on any clock read outside the allowlist.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const TEST_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLOCK = /\b(?:Date\.now\(\)|performance\.now\(\)|process\.hrtime|hrtime(?:\.bigint)?\()/;
const ELAPSED = /\bexpect\([^;]*(?:Date\.now\(\)|performance\.now\(\)|hrtime|durationMs|\.ms\b|elapsed|\bstarted\s*-)/;
/** Files that may read a clock without asserting on it (none today; name the reason when adding one). */
const ALLOWED = new Set<string>([]);

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' || e.name === 'rules' ? [] : testFiles(p);
    return /\.(?:ts|cjs|mjs|js)$/.test(e.name) ? [p] : [];
  });
}

describe('tests never read the clock to assert', () => {
  it('finds the clock reads it looks for (the check can fail)', () => {
    expect(ELAPSED.test('expect(performance.now() - started).toBeLessThan(2_000);')).toBe(true);
    expect(ELAPSED.test('expect(m.ms).toBeLessThan(30_000);')).toBe(true);
    expect(CLOCK.test('const t = Date.now();')).toBe(true);
    expect(ELAPSED.test('expect(m.peakHeapMB).toBeLessThan(768);')).toBe(false);
  });

  it('no test file asserts elapsed time or reads a clock outside the allowlist', () => {
    const offences: string[] = [];
    for (const file of testFiles(TEST_ROOT)) {
      const rel = relative(TEST_ROOT, file).split('\\').join('/');
      if (rel === 'core/no-clock.test.ts') continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (ELAPSED.test(line) || (CLOCK.test(line) && !ALLOWED.has(rel))) offences.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offences).toEqual([]);
  });
});
