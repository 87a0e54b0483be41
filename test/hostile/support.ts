/** Shared scaffolding for the hostile-input suites: temp repositories and bounded scans. */
import { onlyRules } from '../helpers/rules.js';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { scan } from '../../src/engine.js';
import { ALL_RULES } from '../../src/rules/index.js';
import type { Rule } from '../../src/rule.js';
import { FILE_KINDS } from '../../src/types.js';
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

/** A scan with the work it did: heap sampled after every file checked, and the files checked. */
export interface Measured {
  result: ScanResult;
  /** Largest V8 used heap seen after a file was parsed and checked (and at the end), in MB. */
  peakHeapMB: number;
  /** Files (documents' files) the probe rule was handed: each file is checked once. */
  filesChecked: number;
  /** How many heap samples were taken (one per file checked, plus the end of the scan). */
  samples: number;
}

/**
 * A rule that does no checking: the engine calls it once per parsed file, synchronously, while
 * the file's text and tree are alive, so its heap sample sees what a timer (which cannot fire
 * during a synchronous scan) never could. Custom rules keep the scan on this thread.
 */
function heapProbe(onFile: () => void): Rule {
  return {
    meta: { ...ALL_RULES[0]!.meta, id: 'test-heap-probe', system: false, kinds: [...FILE_KINDS], messages: {} },
    check() {
      onFile();
    },
  };
}

/** Runs a scan, sampling the heap after each file it checks. */
export async function measuredScan(input: ScanInput): Promise<Measured> {
  let peakHeap = getHeapStatistics().used_heap_size;
  let samples = 0;
  let filesChecked = 0;
  const sample = (): void => {
    samples++;
    peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
  };
  // The control pod's expected findings are about these rules; others would add noise.
  const config = { ...onlyRules(...CONTROL_RULES), ...((input.config as Record<string, unknown> | undefined) ?? {}) };
  const probe = heapProbe(() => {
    filesChecked++;
    sample();
  });
  const result = await scan({ ...input, config, rules: [...(input.rules ?? ALL_RULES), probe] });
  sample();
  // The probe is a test device, not a finding source.
  result.findings = result.findings.filter((f) => f.ruleId !== probe.meta.id);
  return { result, peakHeapMB: peakHeap / 2 ** 20, filesChecked, samples };
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
