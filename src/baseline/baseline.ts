/**
 * The baseline: findings known when it was written, keyed by fingerprint (rule, file,
 * object/container identity, hashed value; never the line), so moving code keeps them known.
 * The file is sorted, stable JSON, one entry per finding, so its diffs review well.
 */
import { ContainedReadError, MAX_BASELINE_BYTES, readContainedFile } from '../config/safe-read.js';
import { dirname } from 'node:path';
import { ConfigurationError } from '../types.js';
import type { Finding } from '../types.js';

/** The baseline file format version. */
export const BASELINE_VERSION = 1;

/** One known finding. No line numbers and no messages: both change without the finding changing. */
export interface BaselineEntry {
  ruleId: string;
  file: string;
  identity: string;
  fingerprint: string;
}

/** Rules never written to a baseline: a crash is not a finding to accept. */
const NEVER_BASELINED = new Set(['internal-error']);

/** The findings a baseline written now would hold (unsuppressed ones). */
export function baselineEntries(findings: Iterable<Finding>): BaselineEntry[] {
  const seen = new Set<string>();
  const out: BaselineEntry[] = [];
  for (const f of findings) {
    if (f.suppression || NEVER_BASELINED.has(f.ruleId) || seen.has(f.fingerprint)) continue;
    seen.add(f.fingerprint);
    out.push({ ruleId: f.ruleId, file: f.file, identity: f.identity, fingerprint: f.fingerprint });
  }
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort(
    (a, b) => cmp(a.file, b.file) || cmp(a.ruleId, b.ruleId) || cmp(a.identity, b.identity) || cmp(a.fingerprint, b.fingerprint),
  );
}

/** The baseline file content: fixed key order, two-space indent, trailing newline; `redact` masks secrets in identities. */
export function baselineText(findings: Iterable<Finding>, redact: (text: string) => string = (t) => t): string {
  // Identities are for reading only (entries match by fingerprint): a detected secret in one is masked.
  const entries = baselineEntries(findings).map((e) => ({
    ruleId: e.ruleId,
    file: e.file,
    identity: redact(e.identity),
    fingerprint: e.fingerprint,
  }));
  return `${JSON.stringify({ tool: 'podguard', version: BASELINE_VERSION, findings: entries }, null, 2)}\n`;
}

/** Parses baseline text; `label` names the file in errors (ConfigurationError, exit code 2). */
export function parseBaseline(text: string, label: string): Set<string> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // Never the parser's message: it quotes the text, which may be a linked secret file.
    throw new ConfigurationError(`${label}: the baseline is not valid JSON; rewrite it with --write-baseline`);
  }
  const shape = `expected {"tool": "podguard", "version": ${BASELINE_VERSION}, "findings": [...]}`;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigurationError(`${label}: is not a podguard baseline (${shape})`);
  }
  const obj = data as { version?: unknown; findings?: unknown };
  if (typeof obj.version === 'number' && obj.version > BASELINE_VERSION) {
    throw new ConfigurationError(
      `${label}: baseline version ${obj.version} was written by a newer podguard (this one reads version ${BASELINE_VERSION})`,
    );
  }
  if (obj.version !== BASELINE_VERSION) throw new ConfigurationError(`${label}: "version" must be ${BASELINE_VERSION} (${shape})`);
  if (!Array.isArray(obj.findings)) throw new ConfigurationError(`${label}: "findings" must be a list (${shape})`);
  const out = new Set<string>();
  obj.findings.forEach((e: unknown, i) => {
    const fp = (e as { fingerprint?: unknown } | null)?.fingerprint;
    if (typeof fp !== 'string' || !/^[0-9a-f]{32}$/.test(fp)) {
      throw new ConfigurationError(`${label}: "findings.${i}.fingerprint" must be a 32-character hex fingerprint`);
    }
    out.add(fp);
  });
  return out;
}

/**
 * Reads a baseline file (`path` absolute or relative to `root`): a regular file inside the
 * repository, size-capped; a missing or unreadable file is a ConfigurationError.
 */
export function readBaseline(path: string, label: string, root?: string, mustBeInside = false): Set<string> {
  let text: string;
  try {
    text = readContainedFile(root ?? dirname(path), path, { label, maxBytes: MAX_BASELINE_BYTES, what: 'baseline', mustBeInside });
  } catch (err) {
    if (err instanceof ContainedReadError && err.missing)
      throw new ConfigurationError(`${label}: baseline file not found (create it with: podguard scan --write-baseline ${label})`);
    throw err;
  }
  return parseBaseline(text, label);
}
