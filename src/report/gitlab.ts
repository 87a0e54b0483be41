/**
 * GitLab Code Quality report (`artifacts:reports:codequality`): a JSON array of issues with
 * description, check_name, fingerprint, severity and location.path / location.lines.begin, as
 * GitLab documents it. Written one issue at a time.
 */
import type { ScanReport as ScanResult } from '../engine.js';
import type { Level } from '../types.js';
import { PLACEHOLDER, prettyJsonChunks } from './stream.js';

/** GitLab's severities, from podguard's levels (baselined findings are `info`). */
const SEVERITY: Record<Level, 'critical' | 'major' | 'minor'> = { error: 'critical', warning: 'major', note: 'minor' };

/** Code Quality JSON in pieces (two-space indent, trailing newline). */
export function* gitlabChunks(result: ScanResult): Generator<string> {
  const red = result.redactor;
  const seen = new Map<string, number>();
  yield* prettyJsonChunks(
    PLACEHOLDER,
    (function* () {
      for (const f of result.findings) {
        if (f.suppression) continue;
        // GitLab keys issues on the fingerprint; two findings with one fingerprint would merge.
        const n = seen.get(f.fingerprint) ?? 0;
        seen.set(f.fingerprint, n + 1);
        yield {
          description: red.redact(f.message),
          check_name: f.ruleId,
          fingerprint: n === 0 ? f.fingerprint : `${f.fingerprint}-${n}`,
          severity: f.baselined ? 'info' : SEVERITY[f.level],
          location: { path: f.file, lines: { begin: f.range.start.line, end: f.range.end.line } },
        };
      }
    })(),
  );
  yield '\n';
}

/** Code Quality JSON as one string. */
export function gitlabText(result: ScanResult): string {
  return [...gitlabChunks(result)].join('');
}
