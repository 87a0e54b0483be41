/** The commented starter `.podguard.yml` that `podguard init` writes, generated from rule metadata. */
import type { Rule } from '../rule.js';
import { HOMEPAGE, VERSION } from '../version.js';

/** Where editors fetch the schema of this podguard version (yaml-language-server). */
export const SCHEMA_URL = `https://raw.githubusercontent.com/podguard/podguard/v${VERSION}/schema/podguard.schema.json`;

function yamlScalar(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(JSON.stringify(v));
}

/** The starter configuration: every rule listed (commented out) with its default level and options. */
export function starterConfig(rules: readonly Rule[]): string {
  const width = Math.max(...rules.map((r) => r.meta.id.length)) + 12;
  const ruleLines: string[] = [];
  for (const r of [...rules].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1))) {
    const m = r.meta;
    const tag = m.profile === 'restricted' ? ' [restricted]' : '';
    const options = Object.entries(m.defaultOptions ?? {});
    if (options.length === 0) {
      ruleLines.push(`  # ${`${m.id}: ${m.level}`.padEnd(width)} # ${m.title}${tag}`);
      continue;
    }
    ruleLines.push(`  # ${`${m.id}:`.padEnd(width)} # ${m.title}${tag}`);
    ruleLines.push(`  #   level: ${m.level}`);
    for (const [k, v] of options) ruleLines.push(`  #   ${k}: ${yamlScalar(v)}`);
  }
  return `# yaml-language-server: $schema=${SCHEMA_URL}
# podguard configuration: ${HOMEPAGE}#tuning-podguard
# Every key is optional; a key left empty is the same as a key left out.

# Pod Security Standards level. restricted (the default) runs every rule; baseline turns off
# the rules marked [restricted] below unless you set their level here.
profile: restricted

# Per rule: off, note, warning or error, or an object with level and the rule's options.
# Each rule is listed with its default; uncomment a line to change it.
rules:
${ruleLines.join('\n')}

# Approved images (globs over image names without tag; ** spans path segments). When set, any
# other image is a finding. Denied images are checked first.
allowedImages:
  # - mcr.microsoft.com/**
  # - myregistry.azurecr.io/**
deniedImages:
  # - docker.io/library/ubuntu

# Require @sha256: digests on every image reference (the same as requireDigest: true under
# rules.image-digest).
# requireDigest: true

# Paths (globs relative to the repository root) that are never scanned.
exclude:
  # - test/fixtures/**

# Known findings (podguard scan --write-baseline .podguard-baseline.json): reported as notes,
# never failing the build; only new findings gate.
# baseline: .podguard-baseline.json

# Per-path profile and rule levels, applied in order (later entries win).
# overrides:
#   - files: ['charts/vendor/**']
#     profile: baseline
#   - files: ['test/**']
#     rules:
#       privileged-container: off

# Per-resource ignores for manifests you cannot annotate; reason is required.
# ignore:
#   - kind: DaemonSet
#     name: node-exporter
#     namespace: monitoring
#     rules: [host-namespaces]
#     reason: upstream chart (OPS-12)
#     until: 2027-06-30
`;
}
