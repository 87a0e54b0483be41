/**
 * What a thread keeps to itself must never change a finding. Each worker thread checks its batches
 * with its own rule contexts, so a rule that remembers something across files in per-thread state
 * (instead of its merged cross-file state) reports differently by how files fell into threads.
 * Here every file of a corpus is checked on a checker of its own (as if each were on its own
 * thread), and the merged result must equal one checker's over all of them.
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Candidate } from '../../src/collect/collect.js';
import { FileChecker } from '../../src/engine/check.js';
import type { BatchResult } from '../../src/engine/check.js';
import { filesToCheck } from '../../src/engine/collect.js';
import { Collector } from '../../src/engine/collector.js';
import { prepare } from '../../src/engine/inputs.js';
import { BatchMerger, finishCrossFile } from '../../src/engine/merge.js';
import { activeRules, checkPlan } from '../../src/engine/plan.js';
import { SystemFindings } from '../../src/engine/system-findings.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function put(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** The rule fixtures (every rule, every format) and compose projects whose files share a .env. */
function corpus(): string {
  const root = mkdtempSync(join(tmpdir(), 'pg-split-'));
  cpSync(join(ROOT, 'test/rules'), join(root, 'fixtures'), { recursive: true, filter: (p) => !p.endsWith('.ts') });
  cpSync(join(ROOT, 'examples'), join(root, 'examples'), { recursive: true });
  for (const project of ['shop', 'billing']) {
    put(root, `compose/${project}/compose.yaml`, 'services:\n  web:\n    image: nginx:1.27\n');
    put(root, `compose/${project}/compose.override.yaml`, 'services:\n  web:\n    environment:\n      - LOG_LEVEL=debug\n');
    put(root, `compose/${project}/docker-compose.prod.yml`, 'services:\n  web:\n    image: nginx:1.27\n');
    put(root, `compose/${project}/.env`, 'DB_PASSWORD=Zq8vW2pLx9Tr4Kd7\nDB_PASSWORD=Hm3kR8sQw1Yt6Vb2\nPOSTGRES_PASSWORD=postgres\n');
  }
  return root;
}

/** Checks `batches`, each on a fresh checker (a thread of its own) or all on one, merged and finished. */
async function checked(root: string, split: boolean): Promise<string[]> {
  const input = { root, today: '2026-11-24' };
  const job = prepare(input);
  const plan = checkPlan(job, { partial: false, baseline: false });
  const active = activeRules(plan, job.rules);
  const out = new Collector();
  const system = new SystemFindings(plan, out);
  const render = await filesToCheck(input, job, system);
  try {
    const merger = new BatchMerger(active, { out, system, rendered: render.virtual });
    const one = new FileChecker(plan, active);
    const batches: Candidate[][] = split ? render.candidates.map((c) => [c]) : [render.candidates];
    for (const batch of batches) {
      const checker = split ? new FileChecker(plan, activeRules(plan, job.rules)) : one;
      // A worker's result crosses to the main thread by structured clone.
      merger.add(structuredClone(checker.run(batch)) as BatchResult);
    }
    finishCrossFile(active, merger.merged.states, { out, system, partialFiles: new Set() });
    expect(render.candidates.length).toBeGreaterThan(split ? 300 : 0);
    return out.findings
      .map(
        (f) =>
          `${f.file}:${f.range.start.line}:${f.range.start.column} ${f.ruleId}/${f.messageId} ${f.level} ${f.fingerprint} ${f.message}`,
      )
      .sort();
  } finally {
    render.cleanup();
  }
}

describe('per-thread state', () => {
  it('changes no finding: every file on a checker of its own gives what one checker gives', async () => {
    const root = corpus();
    const whole = await checked(root, false);
    const split = await checked(root, true);
    expect(split).toEqual(whole);
    // The compose projects' .env secrets are reported once each, whichever compose file read them.
    const dotenv = whole.filter((f) => f.startsWith('compose/') && / secret-env-literal\/dotenv /.test(f));
    expect(dotenv.map((f) => f.split(' ')[0])).toEqual([
      'compose/billing/.env:1:1',
      'compose/billing/.env:2:1',
      'compose/billing/.env:3:1',
      'compose/shop/.env:1:1',
      'compose/shop/.env:2:1',
      'compose/shop/.env:3:1',
    ]);
    // Two entries of one name in one .env are two findings with fingerprints of their own.
    expect(new Set(dotenv.map((f) => f.split(' ')[3])).size).toBe(6);
  }, 120_000);
});
