/**
 * Generated documentation: one page per rule (docs/rules/<id>.md), the README rule table and the
 * configuration schema. `npm run docs` writes them; a test fails when any is stale.
 */
import type { Rule } from './rule.js';
import { fixText } from './rule.js';
import { configSchema } from './config/schema.js';
import { severityName } from './report/severity.js';

const GENERATED = '<!-- Generated from the rule metadata by `npm run docs`: edit src/rules/, not this file. -->';

/** The documentation page of one rule. */
export function renderRuleDoc(rule: Rule): string {
  const m = rule.meta;
  const lines = [
    GENERATED,
    `# ${m.id}: ${m.title}`,
    '',
    `| Default level | Security severity | Precision | Applies to | Profile |`,
    `| --- | --- | --- | --- | --- |`,
    `| ${m.level} | ${m.securitySeverity === undefined ? 'none (not a security alert)' : m.securitySeverity.toFixed(1)} | ${m.precision} | ${m.kinds.join(', ')} | ${m.profile ?? 'all'} |`,
    '',
    m.description,
    '',
  ];
  if (m.silentUnless) lines.push(`> ${m.silentUnless}`, '');
  lines.push('## Why it matters', '', m.why, '', '## How to fix', '', fixText(m), '');
  if (m.defaultOptions && Object.keys(m.defaultOptions).length) {
    lines.push('## Options', '', '```yaml', '# .podguard.yml', 'rules:', `  ${m.id}:`);
    for (const [k, v] of Object.entries(m.defaultOptions)) lines.push(`    ${k}: ${JSON.stringify(v)}`);
    lines.push('```', '');
  }
  lines.push('## Messages', '');
  for (const [id, text] of Object.entries(m.messages)) lines.push(`- \`${id}\`: ${text}`);
  lines.push('', '## Suppressing', '');
  if (m.tags.includes('suppression')) {
    lines.push(
      'Findings about suppressions cannot themselves be suppressed in source. Fix the suppression, or change the level for the whole repository:',
      '',
      '```yaml',
      '# .podguard.yml',
      'rules:',
      `  ${m.id}: off`,
      '```',
      '',
    );
    return lines.join('\n');
  }
  lines.push(
    'On the line above the finding (in YAML also at the end of its line); a reason is required, `until=` is optional:',
    '',
    '```yaml',
    `# podguard-ignore ${m.id} until=2027-03-31 -- <why this is acceptable>`,
    '```',
    '',
  );
  if (m.kinds.includes('kubernetes')) {
    lines.push(
      'On a Kubernetes object or its pod template (`podguard.dev/ignore.<container>` for one container):',
      '',
      '```yaml',
      'metadata:',
      '  annotations:',
      `    podguard.dev/ignore: "${m.id} -- <why this is acceptable>"`,
      '```',
      '',
    );
  }
  lines.push('See [Tuning podguard](../../README.md#tuning-podguard) for file-wide suppressions and baselines.', '');
  return lines.join('\n');
}

/** The Markdown table of rules for the README. */
export function renderRulesTable(rules: readonly Rule[]): string {
  const rows = rules.map((r) => {
    const silent = r.meta.silentUnless ? ` _${r.meta.silentUnless}_` : '';
    const sev = r.meta.securitySeverity;
    const severity = sev === undefined ? 'none' : `${sev.toFixed(1)} ${severityName(sev)}`;
    return `| [\`${r.meta.id}\`](docs/rules/${r.meta.id}.md) | ${r.meta.level} | ${severity} | ${r.meta.kinds.join(', ')} | ${r.meta.description}${silent} |`;
  });
  return ['| Rule | Default level | Security severity | Checks | What it finds |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** The configuration schema file content. */
export function renderSchema(rules: readonly Rule[]): string {
  return `${JSON.stringify(configSchema(rules), null, 2)}\n`;
}

/** Markers around the generated rule table in README.md. */
export const README_MARKERS = ['<!-- rules:start -->', '<!-- rules:end -->'] as const;

/** README text with its rule table region replaced. */
export function withRulesTable(readme: string, rules: readonly Rule[]): string {
  const [start, end] = README_MARKERS;
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) throw new Error('README.md lacks the rule table markers');
  return `${readme.slice(0, a + start.length)}\n${renderRulesTable(rules)}\n${readme.slice(b)}`;
}

/** Every generated file (path relative to the project root -> content), README excepted. */
export function generatedFiles(rules: readonly Rule[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const r of rules) files.set(`docs/rules/${r.meta.id}.md`, renderRuleDoc(r));
  files.set('schema/podguard.schema.json', renderSchema(rules));
  return files;
}
