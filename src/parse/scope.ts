/**
 * What a position in a file belongs to: the container or Kubernetes object around it, or the
 * Dockerfile stage. The engine uses it as a finding's identity when a rule passes none, so
 * fingerprints (and baselines) survive code moving around without rule authors doing anything.
 */
import type { ParsedFile } from './index.js';
import type { Position } from '../types.js';

/** The label of the innermost container, object or stage at `pos`, if any. */
export function identityAt(file: ParsedFile, pos: Position): string | undefined {
  if (file.kind === 'dockerfile') {
    let label: string | undefined;
    for (const s of file.model.stages) {
      if (s.from.getRange().start.line + 1 > pos.line) break;
      label = s.alias ? `stage "${s.alias}"` : `stage ${s.index}`;
    }
    return label;
  }
  if (file.kind !== 'kubernetes') return undefined;
  const offset = file.source.lines.lineStart(pos.line) + pos.column - 1;
  const within = (n: { start: number; end: number }): boolean => offset >= n.start && offset < n.end;
  for (const w of file.workloads) {
    if (!within(w.object.node)) continue;
    return w.containers.find((c) => within(c.node))?.label ?? w.label;
  }
  return file.objects.find((o) => within(o.node))?.label;
}
