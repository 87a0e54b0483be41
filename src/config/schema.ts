/**
 * The JSON schema of `.podguard.yml`. `npm run docs` writes it to schema/podguard.schema.json
 * (shipped for editors); a test fails when that file is stale.
 */
import type { Rule } from '../rule.js';
import { ignoreSchema } from './ignore.js';
import { overridesSchema } from './overrides.js';

/** The schema's `$id`: where the schema lives on the default branch (SchemaStore's catalog links it). */
export const SCHEMA_ID = 'https://raw.githubusercontent.com/podguard/podguard/main/schema/podguard.schema.json';

const LEVEL = { enum: ['off', 'note', 'warning', 'error'] };

/** The `render:` block: how Helm charts and kustomize roots are rendered. */
const RENDER_SCHEMA = {
  description: 'Rendering of Helm charts and kustomize roots before they are checked.',
  type: 'object',
  additionalProperties: false,
  properties: {
    mode: {
      description:
        'optional (default): a chart or kustomization that cannot be rendered (no helm/kustomize) is a warning; required: an error; off: never render (templates are not checked).',
      enum: ['required', 'optional', 'off'],
      default: 'optional',
    },
    helm: { description: 'The helm binary (default: helm on PATH; the PODGUARD_HELM variable overrides).', type: 'string', minLength: 1 },
    kustomize: {
      description: 'The kustomize binary (default: kustomize on PATH; the PODGUARD_KUSTOMIZE variable overrides).',
      type: 'string',
      minLength: 1,
    },
    timeoutSeconds: {
      description: 'Time limit per render; a render still running is stopped and reported.',
      type: 'integer',
      minimum: 1,
      maximum: 600,
    },
    enableHelm: { description: 'Let kustomize render helmCharts: entries (vendored charts only; nothing is downloaded).', type: 'boolean' },
    charts: {
      description: 'Per chart directory (relative to the scanned root, "." for the root): values files, release name, namespace.',
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          valuesFiles: {
            description: "Values files (relative to the chart directory) applied after the chart's values.yaml, in order.",
            type: 'array',
            items: { type: 'string', minLength: 1 },
          },
          releaseName: { type: 'string', minLength: 1, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
          namespace: { type: 'string', minLength: 1, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
        },
      },
    },
  },
};

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
    $id: SCHEMA_ID,
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
        // Rules of admission policies (admissionPolicies:) are named policy/<policy name>.
        patternProperties: {
          '^policy/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$': {
            anyOf: [LEVEL, { type: 'object', properties: { level: LEVEL }, additionalProperties: false }],
          },
        },
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
      // admissionPolicies (#19): ValidatingAdmissionPolicy files evaluated as policy/<name> rules.
      admissionPolicies: {
        description:
          'Files or folders (paths in the repository, relative to the scanned root) holding ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding objects (admissionregistration.k8s.io/v1), their param objects and Namespace objects; each policy becomes the rule policy/<name>. Never fetched from the network.',
        type: 'array',
        items: { type: 'string', minLength: 1 },
      },
      kubernetesVersion: {
        description: 'Target Kubernetes version (major.minor), for removed-API checks.',
        type: 'string',
        pattern: '^1\\.\\d+$',
      },
      // Policy blocks for platform teams (#18), each in its own module.
      overrides: overridesSchema(rules),
      ignore: ignoreSchema(rules.map((r) => r.meta.id)),
      render: RENDER_SCHEMA,
    },
  };
}
