/**
 * The scan: inputs -> plan -> collect and render -> check (on threads) -> merge and finish ->
 * post-process. Platform-free: the CLI, the GitHub Action and the Azure Pipelines task all call
 * `scan` and write its result to their sinks.
 */
import { filesToCheck } from './collect.js';
import { Collector } from './collector.js';
import { prepare, requireChecked } from './inputs.js';
import { BatchMerger, finishCrossFile } from './merge.js';
import { activeRules, checkPlan } from './plan.js';
import { postProcess } from './post-process.js';
import { SystemFindings } from './system-findings.js';
import { checkFiles } from './threads.js';
import type { ScanInput, ScanResult } from './scan-types.js';

export type { ScanInput, ScanResult };

/** Runs a scan. Throws ConfigurationError for user mistakes; never throws for file content. */
export async function scan(input: ScanInput): Promise<ScanResult> {
  const started = Date.now();
  const job = prepare(input);
  const plan = checkPlan(job, { partial: input.changedFiles !== undefined, baseline: job.baseline !== undefined });
  const active = activeRules(plan, job.rules);
  const out = new Collector({ formerFingerprints: plan.baseline });
  const system = new SystemFindings(plan, out);
  const render = await filesToCheck(input, job, system);
  // Rendered streams are read once the files are checked; the mapping keeps what it needs in memory.
  // Each batch's result joins the scan's findings as soon as the batches before it are in.
  const merger = new BatchMerger(active, { out, system, rendered: render.virtual });
  const checked = await checkFiles(render.candidates, plan, active, { ...input, onResult: (r) => merger.add(r) }).finally(() =>
    render.cleanup(),
  );
  const { merged } = merger;
  // Kustomize patches checked without rendering: absent fields are written elsewhere.
  const partialFiles = new Set(render.candidates.filter((c) => c.partial).map((c) => c.relPath));
  finishCrossFile(active, merged.states, { out, system, partialFiles });
  const enabledRules = active.map((a) => a.rule.meta.id);
  const { findings, baseline } = postProcess(out, system, { render, ...merged }, { ...job, plan, enabled: enabledRules });
  requireChecked(input, job, merged);
  return {
    root: job.root,
    settings: job.settings,
    rules: job.rules,
    enabledRules,
    findings,
    filesScanned: merged.filesScanned,
    redactor: out.redactor,
    templatesNotRendered: merged.templatesNotRendered,
    notices: job.notices,
    durationMs: Date.now() - started,
    threads: checked.threads,
    ...(baseline ? { baseline } : {}),
    ...(render.summary.charts + render.summary.kustomizations > 0 ? { render: render.summary } : {}),
  };
}
