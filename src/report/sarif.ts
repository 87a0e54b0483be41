/** SARIF 2.1.0 for GitHub code scanning and the Azure DevOps SARIF tab. */
import type { ScanResult } from '../engine.js';
import type { Rule } from '../rules/api.js';
import { HOMEPAGE, VERSION, ruleDocUrl } from '../version.js';
import { PLACEHOLDER, prettyJsonChunks } from './stream.js';

/** The schema URI GitHub and Azure DevOps recognise. */
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

function pascal(id: string): string {
  return id
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** Percent-encodes a relative path for a SARIF URI, segment by segment. */
export function toUri(path: string): string {
  return path
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

/** The Markdown help of a rule (what, why, fix). */
export function ruleHelpMarkdown(rule: Rule): string {
  const m = rule.meta;
  const silent = m.silentUnless ? `\n\n_${m.silentUnless}_` : '';
  return `**${m.title}** (\`${m.id}\`)\n\n${m.description}${silent}\n\n**Why it matters.** ${m.why}\n\n**How to fix.** ${m.fix}\n\nSuppress one finding (with a reason): \`# podguard-ignore ${m.id} -- <reason>\` on the line above it.`;
}

/** The plain-text help of a rule. */
export function ruleHelpText(rule: Rule): string {
  return ruleHelpMarkdown(rule)
    .replace(/\*\*/g, '')
    .replace(/_([^_]+)_/g, '$1');
}

function sarifRule(rule: Rule): Record<string, unknown> {
  const m = rule.meta;
  return {
    id: m.id,
    name: pascal(m.id),
    shortDescription: { text: m.title },
    fullDescription: { text: m.description },
    helpUri: ruleDocUrl(m.id),
    help: { text: ruleHelpText(rule), markdown: ruleHelpMarkdown(rule) },
    defaultConfiguration: { level: m.level },
    properties: {
      tags: [...new Set(['security', ...m.tags])],
      precision: m.precision,
      'security-severity': m.securitySeverity.toFixed(1),
      'problem.severity': m.level === 'note' ? 'recommendation' : m.level,
    },
  };
}

type Json = Record<string, unknown>;

/** One SARIF result. */
function sarifResult(f: ScanResult['findings'][number], ruleIndex: number, result: ScanResult): Json {
  const res: Json = {
    ruleId: f.ruleId,
    ruleIndex,
    level: f.baselined ? 'note' : f.level,
    message: { text: result.redactor.redact(f.message) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: toUri(f.file), uriBaseId: '%SRCROOT%' },
          region: {
            startLine: f.range.start.line,
            startColumn: f.range.start.column,
            endLine: f.range.end.line,
            endColumn: Math.max(f.range.end.column, f.range.end.line === f.range.start.line ? f.range.start.column + 1 : 1),
          },
        },
      },
    ],
    partialFingerprints: { 'podguard/v1': f.fingerprint },
  };
  if (f.suppression) res.suppressions = [{ kind: f.suppression.kind, justification: result.redactor.redact(f.suppression.justification) }];
  if (f.baselined) res.baselineState = 'unchanged';
  else if (result.baseline && !f.suppression) res.baselineState = 'new';
  if (f.properties) res.properties = f.properties;
  if (f.related?.length) {
    res.relatedLocations = f.related.map((r, id) => ({
      id,
      physicalLocation: {
        artifactLocation: { uri: toUri(r.file), uriBaseId: '%SRCROOT%' },
        region: {
          startLine: r.range.start.line,
          startColumn: r.range.start.column,
          endLine: r.range.end.line,
          endColumn: Math.max(r.range.end.column, r.range.start.column + 1),
        },
      },
      message: { text: result.redactor.redact(r.message) },
    }));
  }
  return res;
}

/** The log around the results, and the results one at a time. */
function sarifParts(result: ScanResult): { log: (results: unknown) => Json; results: () => Generator<Json> } {
  const rules = [...result.rules].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1));
  const index = new Map(rules.map((r, i) => [r.meta.id, i]));
  return {
    log: (results) => ({
      $schema: SARIF_SCHEMA,
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'podguard',
              semanticVersion: VERSION,
              version: VERSION,
              informationUri: HOMEPAGE,
              rules: rules.map(sarifRule),
            },
          },
          automationDetails: { id: 'podguard/' },
          columnKind: 'utf16CodeUnits',
          results,
        },
      ],
    }),
    results: function* () {
      for (const f of result.findings) yield sarifResult(f, index.get(f.ruleId) ?? -1, result);
    },
  };
}

/** Builds the SARIF log of a scan (deterministic: same input, same bytes). */
export function toSarif(result: ScanResult): Json {
  const parts = sarifParts(result);
  return parts.log([...parts.results()]);
}

/** SARIF text in pieces (two-space indented, trailing newline): one result at a time, for large scans. */
export function* sarifChunks(result: ScanResult): Generator<string> {
  const parts = sarifParts(result);
  yield* prettyJsonChunks(parts.log(PLACEHOLDER), parts.results());
  yield '\n';
}

/** SARIF as text (two-space indented, trailing newline). */
export function sarifText(result: ScanResult): string {
  return [...sarifChunks(result)].join('');
}
