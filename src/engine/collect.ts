/**
 * Which files a scan checks: the walk (or the changed files), then the render stage, which turns
 * Helm charts and kustomize roots into manifest streams checked like files.
 */
import { resolve } from 'node:path';
import { isInside } from '../config/safe-read.js';
import { collect, findRenderMarkers } from '../collect/collect.js';
import { addScannedNamespaces } from '../policy/load.js';
import { prepareRender } from '../render/index.js';
import type { RenderStage } from '../render/index.js';
import { rule as fileError } from '../rules/file-error.js';
import { emptyScope } from './inputs.js';
import type { Job } from './inputs.js';
import type { ScanInput } from './scan-types.js';
import type { SystemFindings } from './system-findings.js';

/**
 * Collects and renders the files to check. Files the walk could not take are reported as
 * file-error; with `requireChecked`, a scope without a candidate is an input error.
 */
export async function filesToCheck(input: ScanInput, job: Job, system: SystemFindings): Promise<RenderStage> {
  const { root, paths, settings } = job;
  const collected = input.stdin
    ? { candidates: [], issues: [] }
    : await collect({ root, paths, exclude: settings.exclude, only: input.changedFiles });
  if (!input.stdin && input.changedFiles === undefined && input.requireChecked) {
    for (const p of paths) {
      const scope = resolve(root, p);
      if (!collected.candidates.some((c) => isInside(scope, resolve(root, c.relPath)))) throw emptyScope(p);
    }
  }
  for (const issue of collected.issues)
    system.report({ rule: fileError, message: 'skipped', file: issue.relPath, data: { reason: issue.reason } });
  // Helm charts and kustomize roots render to streams checked like files (src/render/).
  // With standard input, charts are only looked up (to map `# Source:` comments), never rendered.
  const markers =
    !input.stdin && collected.markers
      ? collected.markers
      : await findRenderMarkers({
          root,
          paths: input.stdin ? ['.'] : paths,
          exclude: settings.exclude,
          ...(input.changedFiles && !input.stdin ? { only: input.changedFiles } : {}),
        });
  const render = await prepareRender({
    root,
    scopes: paths.map((p) => resolve(root, p)),
    candidates: collected.candidates,
    markers,
    ...(input.changedFiles ? { only: new Set(input.changedFiles) } : {}),
    settings,
    env: input.env ?? process.env,
    ...(input.stdin ? { stdin: input.stdin } : {}),
  });
  // namespaceSelector also knows the Namespace objects of the scanned manifests (before any check:
  // the rules and the workers' plan share this set).
  if (job.policies) addScannedNamespaces(job.policies, render.candidates, settings.maxFileBytes);
  return render;
}
