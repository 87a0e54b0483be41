/**
 * Findings about one place share one range object and one identity string per file, whether the
 * batch was checked on this thread (its findings are taken as they are) or on a worker (its
 * structured-cloned findings are shared again): a large scan holds hundreds of thousands of them.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scan } from '../../src/engine.js';
import type { Finding } from '../../src/types.js';

const EXAMPLES = resolve(dirname(fileURLToPath(import.meta.url)), '../../examples');

/** Per file, the findings whose range (or identity) is equal in value but another object. */
function unshared(findings: readonly Finding[]): { ranges: number; pairs: number } {
  const seen = new Map<string, Finding['range']>();
  let ranges = 0;
  let pairs = 0;
  for (const f of findings) {
    const key = `${f.file}\0${JSON.stringify(f.range)}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, f.range);
    else {
      pairs++;
      if (first !== f.range) ranges++;
    }
  }
  return { ranges, pairs };
}

describe('finding sharing', () => {
  it('gives findings at one place of a file one range object, on one thread and on two', async () => {
    for (const threads of [1, 2]) {
      const res = await scan({ root: EXAMPLES, threads });
      const { ranges, pairs } = unshared(res.findings);
      // The examples have several findings at one place (a container with many problems).
      expect([threads, pairs > 10, ranges]).toEqual([threads, true, 0]);
    }
  });
});
