/**
 * When the main thread's share of a scan throws, the scan fails at once and stops its workers
 * (left running, they would keep the process alive after the error). Worker is wrapped to see
 * terminate() called on every worker started; the worker script here never finishes by itself.
 */
import { jest } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as real from 'node:worker_threads';
import { tempDir } from '../helpers/git.js';

const started: real.Worker[] = [];
const terminated = new Set<real.Worker>();

class RecordingWorker extends real.Worker {
  constructor(...args: ConstructorParameters<typeof real.Worker>) {
    super(...args);
    started.push(this);
  }
  override terminate(): Promise<number> {
    terminated.add(this);
    return super.terminate();
  }
}

jest.unstable_mockModule('node:worker_threads', () => ({ ...real, Worker: RecordingWorker }));
const { checkBatches } = await import('../../src/engine/threads.js');
type Checker = Parameters<typeof checkBatches>[1];
type Plan = Parameters<typeof checkBatches>[2]['plan'];

describe('checkBatches when the main thread fails', () => {
  afterAll(async () => {
    await Promise.all(started.map((w) => w.terminate()));
  });

  it('rethrows the error and terminates every worker it started', async () => {
    const script = join(tempDir('pg-stop-'), 'idle-worker.mjs');
    // Takes no batch and never says done: only terminate() ends it.
    writeFileSync(script, 'setInterval(() => {}, 1 << 30);\n');
    const failing = {
      run: () => {
        throw new Error('main thread failed');
      },
    } as unknown as Checker;
    const plan = { settings: {}, rules: [], system: {}, partial: false } as unknown as Plan;
    const batches = [[], [], [], []];
    await expect(checkBatches(batches, failing, { plan, threads: 3, script, onResult: () => undefined })).rejects.toThrow(
      'main thread failed',
    );
    expect(started).toHaveLength(2);
    expect(started.filter((w) => terminated.has(w))).toHaveLength(2);
  });

  it('a result that cannot be merged fails the scan the same way, and nothing after it is merged', async () => {
    const script = join(tempDir('pg-stop-'), 'idle-worker.mjs');
    writeFileSync(script, 'setInterval(() => {}, 1 << 30);\n');
    let run = 0;
    const checker = { run: () => ({ n: run++ }) } as unknown as Checker;
    const plan = { settings: {}, rules: [], system: {}, partial: false } as unknown as Plan;
    const merged: number[] = [];
    const before = started.length;
    const onResult = (r: Parameters<Parameters<typeof checkBatches>[2]['onResult']>[0]): void => {
      const { n } = r as unknown as { n: number };
      if (n === 1) throw new Error('merge failed');
      merged.push(n);
    };
    await expect(checkBatches([[], [], [], []], checker, { plan, threads: 2, script, onResult })).rejects.toThrow('merge failed');
    expect(merged).toEqual([0]);
    expect(started.slice(before).filter((w) => terminated.has(w))).toHaveLength(1);
  });
});

describe('checkBatches hands results on in batch order', () => {
  it('delivers each batch once, in order, with the main thread alone', async () => {
    let run = 0;
    const checker = { run: (files: unknown[]) => ({ n: run++, size: files.length }) } as unknown as Checker;
    const plan = { settings: {}, rules: [], system: {}, partial: false } as unknown as Plan;
    const got: unknown[] = [];
    const r = await checkBatches([[1], [2, 2], [3, 3, 3]] as never, checker, {
      plan,
      threads: 1,
      script: undefined,
      onResult: (x) => void got.push(x),
    });
    // Marked as checked here: the merge takes their findings as they are.
    expect(got).toEqual([
      { n: 0, size: 1, local: true },
      { n: 1, size: 2, local: true },
      { n: 2, size: 3, local: true },
    ]);
    expect(r.threads).toBe(1);
  });
});
