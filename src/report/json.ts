/** Machine-readable JSON output (stable field order, deterministic). */
import { displayLevel, tally } from '../findings.js';
import type { ScanReport as ScanResult } from '../engine.js';
import type { Finding } from '../types.js';
import { VERSION } from '../version.js';
import { PLACEHOLDER, prettyJsonChunks } from './stream.js';

/** One finding as JSON. */
function jsonFinding(f: Finding, result: ScanResult): Record<string, unknown> {
  const red = result.redactor;
  return {
    ruleId: f.ruleId,
    messageId: f.messageId,
    level: displayLevel(f),
    message: red.redact(f.message),
    file: f.file,
    line: f.range.start.line,
    column: f.range.start.column,
    endLine: f.range.end.line,
    endColumn: f.range.end.column,
    fingerprint: f.fingerprint,
    ...(f.properties ? { properties: f.properties } : {}),
    ...(f.related?.length
      ? {
          related: f.related.map((r) => ({
            file: r.file,
            line: r.range.start.line,
            column: r.range.start.column,
            message: red.redact(r.message),
          })),
        }
      : {}),
    ...(f.baselined ? { baselined: true } : {}),
    ...(f.suppression ? { suppressed: { kind: f.suppression.kind, justification: red.redact(f.suppression.justification) } } : {}),
  };
}

function head(result: ScanResult, findings: unknown): Record<string, unknown> {
  const { counts, suppressed, baselined } = tally(result.findings);
  return {
    tool: 'podguard',
    version: VERSION,
    filesScanned: result.filesScanned,
    ...(result.render ? { render: result.render } : {}),
    counts,
    suppressed,
    baselined,
    findings,
  };
}

/** Builds the JSON report object. */
export function toJson(result: ScanResult): Record<string, unknown> {
  return head(
    result,
    Array.from(result.findings, (f) => jsonFinding(f, result)),
  );
}

/** JSON text in pieces (two-space indented, trailing newline): one finding at a time, for large scans. */
export function* jsonChunks(result: ScanResult): Generator<string> {
  yield* prettyJsonChunks(
    head(result, PLACEHOLDER),
    (function* () {
      for (const f of result.findings) yield jsonFinding(f, result);
    })(),
  );
  yield '\n';
}

/** JSON as text (two-space indented, trailing newline). */
export function jsonText(result: ScanResult): string {
  return [...jsonChunks(result)].join('');
}
