/** Validates SARIF against the OASIS 2.1.0 schema in ../shared/schemas (copied to test/schemas). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const HERE = dirname(fileURLToPath(import.meta.url));
let validate: ValidateFunction | undefined;

/** The schema validator (compiled once). */
export function sarifValidator(): ValidateFunction {
  if (!validate) {
    const schema = JSON.parse(readFileSync(join(HERE, '..', 'schemas', 'sarif-schema-2.1.0.json'), 'utf8')) as Record<string, unknown>;
    delete schema.$schema;
    const ajv = new Ajv({ allErrors: true, strict: false });
    // ajv-formats is CommonJS; its default export arrives wrapped under ESM.
    const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => void;
    addFormats(ajv);
    validate = ajv.compile(schema);
  }
  return validate;
}

/** Schema errors of a SARIF log, as readable strings (empty when valid). */
export function sarifErrors(log: unknown): string[] {
  const v = sarifValidator();
  if (v(log)) return [];
  return (v.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

const MULTITOOL = join(HERE, '..', '..', 'node_modules', '@microsoft', 'sarif-multitool-linux', 'Sarif.Multitool');

/** True when Microsoft's SARIF multitool binary can run on this machine (linux x64 build). */
export function multitoolAvailable(): boolean {
  if (process.platform !== 'linux' || !existsSync(MULTITOOL)) return false;
  return spawnSync(MULTITOOL, ['--version'], { encoding: 'utf8', timeout: 60_000 }).status === 0;
}

/**
 * Errors and warnings of Microsoft's SARIF multitool (`validate --rule-kind Sarif;Ghas`: the
 * SARIF rules and the GitHub code scanning ingestion rules) for SARIF files, as `RULE file: where`.
 * Runs the binary directly: its npm wrapper passes the arguments through a shell, which splits `;`.
 */
export function multitoolProblems(files: readonly string[]): string[] {
  const out = join(mkdtempSync(join(tmpdir(), 'pg-multitool-')), 'validation.sarif');
  const r = spawnSync(
    MULTITOOL,
    ['validate', '--rule-kind', 'Sarif;Ghas', '--level', 'Error;Warning', '--log', 'ForceOverwrite', '-o', out, ...files],
    { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.status !== 0 && !existsSync(out)) throw new Error(`sarif-multitool failed (${r.status}): ${r.stdout}${r.stderr}`);
  const log = JSON.parse(readFileSync(out, 'utf8')) as {
    runs: {
      results?: {
        ruleId: string;
        message: { arguments?: string[] };
        locations?: { physicalLocation?: { artifactLocation?: { uri?: string } } }[];
      }[];
    }[];
  };
  return (log.runs[0]?.results ?? []).map(
    (x) => `${x.ruleId} ${x.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? ''}: ${(x.message.arguments ?? []).join(' | ')}`,
  );
}

interface GhResult {
  ruleId?: string;
  level?: string;
  message?: { text?: string };
  locations?: { physicalLocation?: { artifactLocation?: { uri?: string; uriBaseId?: string }; region?: { startLine?: number } } }[];
  partialFingerprints?: Record<string, string>;
  properties?: Record<string, unknown>;
}
interface GhRun {
  tool: { driver: { name?: string; rules?: { id: string; properties?: { tags?: string[]; 'security-severity'?: string } }[] } };
  results: GhResult[];
}

/**
 * GitHub code scanning's upload rules that a schema cannot express (documented limits and the
 * multitool's GH rules): results per run, locations per result, tags per rule, gzipped size, a
 * message text, relative URIs with a region, security-severity as a number string.
 */
export function githubProblems(text: string): string[] {
  const problems: string[] = [];
  if (gzipSync(text).length >= 10 * 1024 * 1024) problems.push('over 10 MB gzipped');
  if (/\n\s/.test(text.trimEnd())) problems.push('not compact JSON');
  const log = JSON.parse(text) as { runs: GhRun[] };
  for (const run of log.runs) {
    if (!run.tool.driver.name) problems.push('tool.driver.name missing');
    if (run.results.length > 25_000) problems.push(`${run.results.length} results in one run`);
    for (const rule of run.tool.driver.rules ?? []) {
      if ((rule.properties?.tags?.length ?? 0) > 20) problems.push(`${rule.id}: more than 20 tags`);
      const sev = rule.properties?.['security-severity'];
      if (sev !== undefined && !/^\d+(\.\d+)?$/.test(sev)) problems.push(`${rule.id}: security-severity ${sev}`);
    }
    run.results.forEach((r, i) => {
      if (!r.message?.text) problems.push(`results[${i}]: no message text`);
      if ((r.locations?.length ?? 0) > 1000) problems.push(`results[${i}]: more than 1,000 locations`);
      for (const l of r.locations ?? []) {
        const uri = l.physicalLocation?.artifactLocation?.uri ?? '';
        if (/^[a-z]+:/i.test(uri) || uri.startsWith('/') || uri.startsWith('../'))
          problems.push(`results[${i}]: uri ${uri} is not repository-relative`);
        if (!l.physicalLocation?.region?.startLine) problems.push(`results[${i}]: no region.startLine`);
      }
    });
  }
  return problems;
}
