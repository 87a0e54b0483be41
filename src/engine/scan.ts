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
import { FileSpool, Spool } from './spool.js';
import type { JudgedSink } from './post-process.js';
import type { ScanInput, ScanResult, StreamedScan } from './scan-types.js';
import type { Finding } from '../types.js';

export type { ScanInput, ScanResult, StreamedScan };

/** Runs a scan. Throws ConfigurationError for user mistakes; never throws for file content. */
export async function scan(input: ScanInput): Promise<ScanResult> {
  const findings: Finding[] = [];
  // The result holds every finding anyway: nothing is gained by moving them to a file meanwhile.
  return { ...(await run({ spillAt: Number.POSITIVE_INFINITY, ...input }, findings)), findings };
}

/**
 * Runs a scan whose findings stay out of memory: `findings` is a spool that every sink reads in
 * order (what the faces use; a large scan's findings took most of its memory as objects). Call
 * `findings.dispose()` when the reports are written.
 */
export async function scanStreamed(input: ScanInput): Promise<StreamedScan> {
  const findings = new Spool(input.spillAt);
  try {
    return { ...(await run(input, findings)), findings };
  } catch (err) {
    findings.dispose();
    throw err;
  }
}

async function run(input: ScanInput, to: JudgedSink): Promise<Omit<ScanResult, 'findings'>> {
  const started = Date.now();
  const job = prepare(input);
  const plan = checkPlan(job, { partial: input.changedFiles !== undefined, baseline: job.baseline !== undefined });
  const active = activeRules(plan, job.rules);
  // Rendered streams' findings stay in memory: they move to their templates before judging.
  let rendered: ReadonlySet<string> = new Set();
  const store = new FileSpool((file) => rendered.has(file), input.spillAt);
  try {
    const out = new Collector({ formerFingerprints: plan.baseline, into: store });
    const system = new SystemFindings(plan, out);
    const render = await filesToCheck(input, job, system);
    rendered = render.virtual;
    // Rendered streams are read once the files are checked; the mapping keeps what it needs in memory.
    // Each batch's result joins the scan's findings as soon as the batches before it are in.
    const merger = new BatchMerger(active, { out, system, rendered: render.virtual });
    // Kustomize patches checked without rendering: absent fields are written elsewhere.
    const partialFiles = new Set(render.candidates.filter((c) => c.partial).map((c) => c.relPath));
    // The batches own the candidates from here (taken out of the stage's list), and let each
    // batch's go once it is checked: a large scan's paths do not stay alive to its end.
    const checked = await checkFiles(render.candidates.splice(0), plan, active, { ...input, onResult: (r) => merger.add(r) }).finally(() =>
      render.cleanup(),
    );
    const { merged } = merger;
    finishCrossFile(active, merged.states, { out, system, partialFiles });
    const enabledRules = active.map((a) => a.rule.meta.id);
    const { baseline } = postProcess({ out, store }, system, { render, ...merged }, { ...job, plan, enabled: enabledRules }, to);
    requireChecked(input, job, merged);
    return {
      root: job.root,
      settings: job.settings,
      rules: job.rules,
      enabledRules,
      filesScanned: merged.filesScanned,
      redactor: out.redactor,
      templatesNotRendered: merged.templatesNotRendered,
      notices: job.notices,
      durationMs: Date.now() - started,
      threads: checked.threads,
      ...(baseline ? { baseline } : {}),
      ...(render.summary.charts + render.summary.kustomizations > 0 ? { render: render.summary } : {}),
    };
  } finally {
    store.dispose();
  }
}
