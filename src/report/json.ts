/** Machine-readable JSON output (stable field order, deterministic). */
import { countByLevel } from '../engine.js';
import type { ScanResult } from '../engine.js';
import { VERSION } from '../version.js';

/** Builds the JSON report object. */
export function toJson(result: ScanResult): Record<string, unknown> {
  const red = result.redactor;
  return {
    tool: 'podguard',
    version: VERSION,
    filesScanned: result.filesScanned,
    counts: countByLevel(result.findings),
    suppressed: result.findings.filter((f) => f.suppression).length,
    baselined: result.findings.filter((f) => f.baselined && !f.suppression).length,
    findings: result.findings.map((f) => ({
      ruleId: f.ruleId,
      messageId: f.messageId,
      level: f.baselined ? 'note' : f.level,
      message: red.redact(f.message),
      file: f.file,
      line: f.range.start.line,
      column: f.range.start.column,
      endLine: f.range.end.line,
      endColumn: f.range.end.column,
      fingerprint: f.fingerprint,
      ...(f.baselined ? { baselined: true } : {}),
      ...(f.suppression ? { suppressed: { kind: f.suppression.kind, justification: red.redact(f.suppression.justification) } } : {}),
    })),
  };
}

/** JSON as text (two-space indented, trailing newline). */
export function jsonText(result: ScanResult): string {
  return `${JSON.stringify(toJson(result), null, 2)}\n`;
}
