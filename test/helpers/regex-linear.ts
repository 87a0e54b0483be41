/**
 * Linear-time checks for regular expressions: collects every pattern a module exports, builds
 * adversarial 1 MB inputs from each pattern's own characters, and times each match in a worker
 * thread that is terminated at the time limit (a catastrophic backtrack never returns, so it
 * cannot be timed on the test's own thread).
 */
import { Worker } from 'node:worker_threads';

/** A pattern found in a module, with where it was found. */
export interface FoundPattern {
  where: string;
  re: RegExp;
}

/** Every RegExp reachable from a module's exports (arrays and plain objects, a few levels deep). */
export function collectPatterns(mod: Record<string, unknown>, maxDepth = 4): FoundPattern[] {
  const out: FoundPattern[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, where: string, depth: number): void => {
    if (value instanceof RegExp) {
      out.push({ where, re: value });
      return;
    }
    if (depth >= maxDepth || value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${where}[${i}]`, depth + 1));
    else for (const [k, v] of Object.entries(value)) visit(v, `${where}.${k}`, depth + 1);
  };
  for (const [k, v] of Object.entries(mod)) visit(v, k, 0);
  return out;
}

/** Literal characters and class members a pattern mentions (so inputs almost match). */
function alphabet(re: RegExp): string[] {
  const chars = new Set<string>();
  for (const m of re.source.matchAll(/\\[dDwWsS]|\\.|[^\\]/g)) {
    const t = m[0];
    if (t === '\\d') chars.add('7');
    else if (t === '\\w') chars.add('a').add('Z').add('_');
    else if (t === '\\s') chars.add(' ');
    else if (t.startsWith('\\')) chars.add(t.slice(1));
    else if (!'()[]{}*+?|^$.'.includes(t)) chars.add(t);
  }
  chars.add('a').add('A').add('0').add('=').add('-').add('/').add('"').add(' ');
  return [...chars];
}

/**
 * Adversarial inputs of about `size` characters for a pattern: each alphabet character and
 * each pair repeated (the classic `aaaa…!` and `abab…!` attacks), followed by a character
 * that breaks the match so the engine must explore every way of not matching.
 */
export function adversarialInputs(re: RegExp, size = 1 << 20, maxInputs = 24): string[] {
  const chars = alphabet(re);
  const units: string[] = [...chars];
  for (const a of chars) for (const b of chars) if (units.length < maxInputs) units.push(a + b);
  return units.slice(0, maxInputs).map((u) => u.repeat(Math.ceil(size / u.length)).slice(0, size) + '\u0001!');
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const re = new RegExp(workerData.source, workerData.flags.includes('g') ? workerData.flags : workerData.flags + 'g');
const started = performance.now();
let n = 0;
for (const input of workerData.inputs) {
  re.lastIndex = 0;
  for (const _ of input.matchAll(re)) if (++n > 1e7) break;
}
parentPort.postMessage(performance.now() - started);
`;

/** Result of timing one pattern over its inputs. */
export interface Timing {
  ms: number;
  timedOut: boolean;
}

/** Times a pattern over inputs in a worker, killed after `limitMs`. */
export function timeRegex(re: RegExp, inputs: readonly string[], limitMs: number): Promise<Timing> {
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { source: re.source, flags: re.flags, inputs } });
    const timer = setTimeout(() => {
      void worker.terminate();
      resolvePromise({ ms: limitMs, timedOut: true });
    }, limitMs);
    worker.once('message', (ms: number) => {
      clearTimeout(timer);
      void worker.terminate();
      resolvePromise({ ms, timedOut: false });
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
