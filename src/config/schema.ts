/**
 * The JSON schema of `.podguard.yml`. `npm run docs` writes it to schema/podguard.schema.json
 * (shipped for editors); a test fails when that file is stale.
 */
import type { Rule } from '../rules/api.js';

const LEVEL = { enum: ['off', 'note', 'warning', 'error'] };

/** Builds the configuration schema, with each rule's options schema under `rules.<id>`. */
export function configSchema(rules: readonly Rule[]): Record<string, unknown> {
  const ruleProps: Record<string, unknown> = {};
  for (const r of rules) {
    const options = r.meta.optionsSchema ?? { type: 'object', properties: {}, additionalProperties: false };
    const optionProps = (options as { properties?: Record<string, unknown> }).properties ?? {};
    ruleProps[r.meta.id] = {
      description: `${r.meta.title}. Default level: ${r.meta.level}.`,
      default: r.meta.level,
      anyOf: [
        LEVEL,
        {
          type: 'object',
          properties: { level: LEVEL, ...optionProps },
          additionalProperties: false,
        },
      ],
    };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/podguard/podguard/schema/podguard.schema.json',
    title: 'podguard configuration (.podguard.yml)',
    type: 'object',
    additionalProperties: false,
    properties: {
      profile: {
        description:
          'Pod Security Standards level: restricted (default) runs every rule; baseline turns off the rules of the restricted level unless configured.',
        default: 'restricted',
        enum: ['baseline', 'restricted'],
      },
      rules: {
        description: 'Per rule: a level (off, note, warning, error) or an object with level and options.',
        type: 'object',
        additionalProperties: false,
        properties: ruleProps,
      },
      allowedImages: {
        description: 'Glob patterns over normalised image names without tag, e.g. mcr.microsoft.com/**.',
        type: 'array',
        items: { type: 'string', minLength: 1 },
      },
      deniedImages: {
        description: 'Glob patterns of banned images, checked before allowedImages.',
        type: 'array',
        items: { type: 'string', minLength: 1 },
      },
      requireDigest: {
        description:
          'Require @sha256: digests on every image reference (the same as rules.image-digest.requireDigest; kept for existing configurations).',
        type: 'boolean',
        default: false,
      },
      exclude: {
        description: 'Path globs (relative to the scanned root) never scanned.',
        type: 'array',
        items: { type: 'string', minLength: 1 },
      },
      baseline: { description: 'Baseline file of known findings (relative to the scanned root).', type: 'string', minLength: 1 },
      maxFileBytes: { description: 'Files larger than this are skipped with a finding.', type: 'integer', minimum: 1024 },
      kubernetesVersion: {
        description: 'Target Kubernetes version (major.minor), for removed-API checks.',
        type: 'string',
        pattern: '^1\\.\\d+$',
      },
    },
  };
}
