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
import type { Candidate } from '../collect/collect.js';
import type { Rule } from '../rule.js';
import { policyRules } from '../policy/rules.js';
import { FileChecker } from './check.js';
import type { BatchResult } from './check.js';
import { activeRules } from './plan.js';
import type { ActiveRule, CheckPlan } from './plan.js';

interface WorkerInput {
  plan: CheckPlan;
  batches: Candidate[][];
  /** Int32Array over a SharedArrayBuffer: the next batch to take. */
  next: Int32Array;
}

type WorkerMessage = { type: 'batch'; index: number; result: BatchResult } | { type: 'done' };

/** Heap limits of a worker (see checkBatches). */
const WORKER_HEAP = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 };

/**
 * Files per thread below which starting a worker costs more than it saves: a worker's start-up
 * and threads slowing each other down outweigh the parallel work on small scans (the figures
 * are in the README's performance section, from `npm run bench`).
 */
export const MIN_FILES_PER_WORKER = 10000;
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

/** Starts a worker on the shared counter; resolves when it said done (counted) or exited. */
function startWorker(script: string, input: WorkerInput, results: InOrder, done: () => void): { worker: Worker; finished: Promise<void> } {
  // A worker holds one batch at a time, so a tight heap costs it nothing, and without limits
  // its heap grows to what the main thread's does (peak RSS of large scans is lower with
  // them). A worker that hits the limit on a huge file dies,
  // and its batches are checked on the main thread, which has no such limit.
  const worker = new Worker(script, { workerData: input, resourceLimits: WORKER_HEAP });
  const finished = new Promise<void>((resolveDone) => {
    let said = false;
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'batch') {
        // Returned: its files are never checked again, so they need not stay in memory.
        input.batches[m.index] = [];
        results.put(m.index, m.result);
      } else {
        said = true;
        done();
        void worker.terminate().then(() => resolveDone());
      }
    });
    // A failed worker's unreturned batches are re-checked below; its error is not the user's.
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      if (!said) resolveDone();
    });
  });
  return { worker, finished };
}

/**
 * Hands batch results on in batch order as soon as each one and every one before it is there,
 * and forgets them: results do not pile up until the last batch is done.
 */
class InOrder {
  private readonly waiting: (BatchResult | undefined)[];
  private next = 0;

  constructor(
    size: number,
    private readonly deliver: (r: BatchResult) => void,
  ) {
    this.waiting = new Array<BatchResult | undefined>(size);
  }

  /** The first error `deliver` threw (in a worker's message handler it must not escape). */
  failure: { error: unknown } | undefined;

  put(index: number, result: BatchResult): void {
    this.waiting[index] = result;
    for (let r = this.waiting[this.next]; r !== undefined && !this.failure; r = this.waiting[this.next]) {
      this.waiting[this.next++] = undefined;
      try {
        this.deliver(r);
      } catch (error) {
        this.failure = { error };
      }
    }
  }

  /** The batches not delivered yet (a worker took them and never returned them), in order. */
  missing(): number[] {
    const out: number[] = [];
    for (let i = this.next; i < this.waiting.length; i++) if (this.waiting[i] === undefined) out.push(i);
    return out;
  }
}

/**
 * A batch result made on this thread, with what outlives the batch copied as a worker's would be:
 * a value a rule keeps (a namespace, a label) is often a slice of its file's text, and a V8
 * sliced string keeps the whole text alive. Profiled on 50,000 files, the cross-file states held
 * thousands of whole files that way. Structured cloning makes flat copies (and is what a worker's
 * result goes through anyway, so nothing else changes).
 */
function detach(r: BatchResult): BatchResult {
  return { ...r, local: true, states: structuredClone(r.states), directives: structuredClone(r.directives) };
}

/**
 * Checks every batch, on this thread and on `threads - 1` workers running `script`, and hands
 * each result to `onResult` in batch order as soon as the batches before it are in. Returns the
 * threads that finished their share. A batch a worker took but never returned (the worker
 * crashed, or could not start) is checked again here, so no file is ever lost. Each batch is
 * emptied once it is checked here or returned by a worker, so its paths do not outlive it.
 */
export async function checkBatches(
  batches: Candidate[][],
  checker: FileChecker,
  opts: { plan: CheckPlan; threads: number; script: string | undefined; onResult: (r: BatchResult) => void; custom?: boolean },
): Promise<{ threads: number }> {
  // Custom rule objects' states may hold anything (they never cross threads): kept as they are.
  const own = opts.custom ? (r: BatchResult): BatchResult => ({ ...r, local: true }) : detach;
  const results = new InOrder(batches.length, opts.onResult);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const workers = opts.script && opts.threads > 1 && batches.length > 1 ? Math.min(opts.threads - 1, batches.length - 1) : 0;
  const started: { worker: Worker; finished: Promise<void> }[] = [];
  let completed = 0;
  for (let w = 0; w < workers; w++) started.push(startWorker(opts.script!, { plan: opts.plan, batches, next }, results, () => completed++));
  try {
    for (let i = Atomics.add(next, 0, 1); i < batches.length; i = Atomics.add(next, 0, 1)) {
      const batch = batches[i]!;
      // A checked batch's files are let go (tens of thousands of paths in a large scan).
      batches[i] = [];
      results.put(i, own(checker.run(batch)));
      if (results.failure) throw results.failure.error;
      // Let workers' results in between batches, so they do not pile up in the message queue.
      if (workers > 0) await new Promise<void>((r) => setImmediate(r));
    }
  } catch (err) {
    // The scan is failing: do not leave workers running (they would keep the process alive).
    for (const s of started) void s.worker.terminate();
    throw err;
  }
  await Promise.all(started.map((s) => s.finished));
  for (const i of results.missing()) results.put(i, own(checker.run(batches[i]!)));
  if (results.failure) throw results.failure.error;
  return { threads: completed + 1 };
}

/**
 * Checks the candidates in batches, on as many threads as asked (default: by the number of files;
 * custom rule objects cannot cross threads, so they keep the scan on this one).
 */
export async function checkFiles(
  candidates: readonly Candidate[],
  plan: CheckPlan,
  active: readonly ActiveRule[],
  opts: { rules?: readonly Rule[]; threads?: number; workerScript?: string; onResult: (r: BatchResult) => void },
): Promise<{ threads: number }> {
  // Files are read synchronously, in sorted order, in batches: profiled on 10,000 manifests,
  // five thread-pool round trips per file (stat, open, fstat, read, close) cost more main-thread
  // time than parsing. Large scans spread batches over worker threads (rules from the registry
  // only); results merge in batch order.
  const threads = opts.rules ? 1 : Math.max(1, Math.floor(opts.threads ?? defaultThreads(candidates.length)));
  const script = opts.workerScript ?? bundledWorkerScript();
  return checkBatches(toBatches(candidates, threads), new FileChecker(plan, active), {
    plan,
    threads,
    script,
    onResult: opts.onResult,
    custom: opts.rules !== undefined,
  });
}

/** The worker side: takes batches from the shared counter until none is left. */
export function runWorker(registry: readonly Rule[]): void {
  if (isMainThread || !parentPort) throw new Error('runWorker must run in a worker thread');
  const { plan, batches, next } = workerData as WorkerInput;
  const rules = plan.policies ? [...registry, ...policyRules(plan.policies)] : registry;
  const checker = new FileChecker(plan, activeRules(plan, rules));
  for (let i = Atomics.add(next, 0, 1); i < batches.length; i = Atomics.add(next, 0, 1)) {
    const batch = batches[i]!;
    batches[i] = [];
    const message: WorkerMessage = { type: 'batch', index: i, result: checker.run(batch) };
    parentPort.postMessage(message);
  }
  parentPort.postMessage({ type: 'done' } satisfies WorkerMessage);
}
