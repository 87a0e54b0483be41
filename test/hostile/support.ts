/** Shared scaffolding for the hostile-input suites: temp repositories and bounded scans. */
import { onlyRules } from '../helpers/rules.js';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { scan } from '../../src/engine.js';
import type { ScanInput, ScanResult } from '../../src/engine.js';
import type { Finding } from '../../src/types.js';

/** A privileged pod: every scan also holds this file, and its two findings must survive. */
export const CONTROL_POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: control\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n';

/** The findings the control pod must always produce (file, rule, message id, line). */
export const CONTROL_FINDINGS = [
  ['control/pod.yaml', 'run-as-root', 'missing', 7],
  ['control/pod.yaml', 'privileged-container', 'privileged', 10],
] as const;

/** Rules the hostile cases are about (engine rules such as parse-error always run). */
export const CONTROL_RULES = ['run-as-root', 'privileged-container'];

/** Writes files (path -> content) into a fresh temp directory; returns its path. */
export function makeRepo(files: Record<string, string | Uint8Array> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-hostile-'));
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), content);
  }
  return dir;
}

/** A scan with its wall time and the peak heap/RSS sampled while it ran. */
export interface Measured {
  result: ScanResult;
  ms: number;
  peakHeapMB: number;
  peakRssMB: number;
}

/** Runs a scan while sampling memory every few milliseconds. */
export async function measuredScan(input: ScanInput): Promise<Measured> {
  let peakHeap = process.memoryUsage().heapUsed;
  let peakRss = process.memoryUsage().rss;
  const sample = (): void => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  };
  const timer = setInterval(sample, 5);
  const started = performance.now();
  try {
    // The control pod's expected findings are about these rules; others would add noise.
    const config = { ...onlyRules(...CONTROL_RULES), ...((input.config as Record<string, unknown> | undefined) ?? {}) };
    const result = await scan({ ...input, config });
    sample();
    return { result, ms: performance.now() - started, peakHeapMB: peakHeap / 2 ** 20, peakRssMB: peakRss / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

/** A compact, comparable view of a finding. */
export function brief(f: Finding): [string, string, string, number, number] {
  return [f.file, f.ruleId, f.messageId, f.range.start.line, f.range.start.column];
}

/** The findings of one file (or of every file but the control pod). */
export function findingsOf(result: ScanResult, file?: string): Finding[] {
  return result.findings.filter((f) => (file === undefined ? !f.file.startsWith('control/') : f.file === file));
}

/** Asserts the control pod's findings are all present: the hostile file did not cost anything else. */
export function expectControlIntact(result: ScanResult): void {
  const got = result.findings.filter((f) => f.file === 'control/pod.yaml').map((f) => [f.file, f.ruleId, f.messageId, f.range.start.line]);
  expect(got).toEqual(CONTROL_FINDINGS.map((c) => [...c]));
}
