/**
 * Checking files on several threads. The main thread and the workers take batches of files from
 * one shared counter (no round trips: the main thread checks files too and cannot answer
 * requests meanwhile); each batch's result comes back as plain data, and the scan merges results
 * in batch order, so findings and cross-file verdicts do not depend on which thread ran what.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { Candidate } from './collect/collect.js';
import type { Settings } from './config/settings.js';
import { FileChecker } from './batch.js';
import type { ActiveRule, BatchResult, SystemReport } from './batch.js';
import type { Rule } from './rule.js';
import type { PolicySet } from './policy/load.js';
import { policyRules } from './policy/rules.js';
import type { Level } from './types.js';

/** What a worker needs to check files exactly as the main thread would. */
export interface CheckPlan {
  settings: Settings;
  /** Enabled rules, in registry order, with their resolved level and options. */
  rules: { id: string; level: Level; options: Record<string, unknown> }[];
  /** Levels of the engine's own rules (file-error, parse-error...). */
  systemLevels: Record<string, Level | 'off'>;
  partial: boolean;
  /** Admission policies of this scan (plain data): their `policy/<name>` rules are built on each thread. */
  policies?: PolicySet;
}

interface WorkerInput {
  plan: CheckPlan;
  batches: Candidate[][];
  /** Int32Array over a SharedArrayBuffer: the next batch to take. */
  next: Int32Array;
}

type WorkerMessage = { type: 'batch'; index: number; result: BatchResult } | { type: 'done' };

/** Builds the active rules of a plan from a rule registry. */
export function activeRules(plan: CheckPlan, registry: readonly Rule[]): ActiveRule[] {
  const byId = new Map(registry.map((r) => [r.meta.id, r]));
  return plan.rules.map(({ id, level, options }) => {
    const rule = byId.get(id);
    if (!rule) throw new Error(`rule ${id} is not registered in this build`);
    // One context per rule for the whole scan; `report` is pointed at each unit before its check.
    return { rule, level, ctx: { options, settings: plan.settings, state: new Map(), partial: plan.partial, report: () => undefined } };
  });
}

/** Reports an engine finding through a collector, at the plan's level for that rule. */
export function systemReporter(plan: CheckPlan, registry: readonly Rule[]): SystemReport {
  const byId = new Map(registry.map((r) => [r.meta.id, r]));
  return (out, id, file, at, messageId, data, identity) => {
    const rule = byId.get(id);
    if (!rule) throw new Error(`system rule ${id} is not registered`);
    const level = plan.systemLevels[id] ?? 'off';
    if (level !== 'off') out.add(rule, level, file, { messageId, data, at, ...(identity !== undefined ? { identity } : {}) });
  };
}

/** Heap limits of a worker (see checkBatches). */
const WORKER_HEAP = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 };

/**
 * Files per thread below which starting a worker costs more than it saves: a worker's start-up
 * and threads slowing each other down outweigh the parallel work on small scans (the figures
 * are in the README's performance section, from `npm run bench`).
 */
export const MIN_FILES_PER_WORKER = 2500;
/** Threads used at most by default: more than four gains little on a typical runner. */
const MAX_DEFAULT_THREADS = 4;

/** Threads to use for `files` files when the caller did not say. */
export function defaultThreads(files: number): number {
  return Math.max(1, Math.min(availableParallelism(), MAX_DEFAULT_THREADS, Math.floor(files / MIN_FILES_PER_WORKER)));
}

/**
 * The worker script shipped beside the running bundle (`dist/worker.js`, `task/dist/worker.js`),
 * or undefined when there is none (running from sources, e.g. under jest): then the scan uses
 * the main thread only.
 */
export function bundledWorkerScript(): string | undefined {
  // CommonJS bundles (the Azure task) have __filename; ES modules have import.meta.url.
  const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
  const script = join(dirname(here), 'worker.js');
  return existsSync(script) ? script : undefined;
}

/** Splits files into batches: enough of them that threads finish together, not so many that messages dominate. */
export function toBatches(files: readonly Candidate[], threads: number): Candidate[][] {
  const size = Math.max(8, Math.min(256, Math.ceil(files.length / (threads * 8))));
  const out: Candidate[][] = [];
  for (let i = 0; i < files.length; i += size) out.push(files.slice(i, i + size));
  return out;
}

/**
 * Checks every batch, on this thread and on `threads - 1` workers running `script`. Returns one
 * result per batch, in batch order, and the threads that finished their share. A batch a worker took but never returned (the worker
 * crashed, or could not start) is checked again here, so no file is ever lost.
 */
export async function checkBatches(
  batches: Candidate[][],
  checker: FileChecker,
  opts: { plan: CheckPlan; threads: number; script: string | undefined },
): Promise<{ results: BatchResult[]; threads: number }> {
  const results: (BatchResult | undefined)[] = new Array<BatchResult | undefined>(batches.length);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const workers = opts.script && opts.threads > 1 && batches.length > 1 ? Math.min(opts.threads - 1, batches.length - 1) : 0;
  const finished: Promise<void>[] = [];
  const pool: Worker[] = [];
  let completed = 0;
  for (let w = 0; w < workers; w++) {
    const input: WorkerInput = { plan: opts.plan, batches, next };
    // A worker holds one batch at a time, so a tight heap costs it nothing, and without limits
    // its heap grows to what the main thread's does (peak RSS of large scans is lower with
    // them). A worker that hits the limit on a huge file dies,
    // and its batches are checked on the main thread, which has no such limit.
    const worker = new Worker(opts.script!, { workerData: input, resourceLimits: WORKER_HEAP });
    pool.push(worker);
    finished.push(
      new Promise<void>((resolveDone) => {
        let done = false;
        worker.on('message', (m: WorkerMessage) => {
          if (m.type === 'batch') results[m.index] = m.result;
          else {
            done = true;
            completed++;
            void worker.terminate().then(() => resolveDone());
          }
        });
        // A failed worker's unreturned batches are re-checked below; its error is not the user's.
        worker.on('error', () => undefined);
        worker.on('exit', () => {
          if (!done) resolveDone();
        });
      }),
    );
  }
  try {
    for (let i = Atomics.add(next, 0, 1); i < batches.length; i = Atomics.add(next, 0, 1)) {
      results[i] = checker.run(batches[i]!);
      // Let workers' results in between batches, so they do not pile up in the message queue.
      if (workers > 0) await new Promise<void>((r) => setImmediate(r));
    }
  } catch (err) {
    // The scan is failing: do not leave workers running (they would keep the process alive).
    for (const w of pool) void w.terminate();
    throw err;
  }
  await Promise.all(finished);
  return { results: batches.map((b, i) => results[i] ?? checker.run(b)), threads: completed + 1 };
}

/** The worker side: takes batches from the shared counter until none is left. */
export function runWorker(registry: readonly Rule[]): void {
  if (isMainThread || !parentPort) throw new Error('runWorker must run in a worker thread');
  const { plan, batches, next } = workerData as WorkerInput;
  const rules = plan.policies ? [...registry, ...policyRules(plan.policies)] : registry;
  const checker = new FileChecker(plan.settings, activeRules(plan, rules), systemReporter(plan, rules));
  for (let i = Atomics.add(next, 0, 1); i < batches.length; i = Atomics.add(next, 0, 1)) {
    const message: WorkerMessage = { type: 'batch', index: i, result: checker.run(batches[i]!) };
    parentPort.postMessage(message);
  }
  parentPort.postMessage({ type: 'done' } satisfies WorkerMessage);
}
