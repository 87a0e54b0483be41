import type { Rule } from '../rule.js';
import { getPair } from '../parse/yaml.js';
import { compareVersions, deprecatedApi } from '../data/deprecated-apis.js';
import type { DeprecatedApi } from '../data/deprecated-apis.js';

/** The newest replacement the target version serves (and that is not itself removed by then). */
function replacementFor(d: DeprecatedApi, target: string): string | undefined {
  const served = d.replacements.filter((x) => {
    if (compareVersions(x.since, target) > 0) return false;
    const gone = deprecatedApi(x.apiVersion, x.kind ?? d.kind)?.removedIn;
    return !gone || compareVersions(gone, target) > 0;
  });
  const pick = served[0] ?? d.replacements.find((x) => !deprecatedApi(x.apiVersion, x.kind ?? d.kind)?.removedIn);
  if (!pick) return undefined;
  return pick.kind ? `${pick.apiVersion} ${pick.kind}` : pick.apiVersion;
}

/** Objects whose apiVersion the target Kubernetes version no longer serves (or deprecates). */
export const rule: Rule = {
  meta: {
    id: 'removed-api-version',
    title: 'Removed or deprecated Kubernetes API version',
    level: 'error',
    securitySeverity: 7.0,
    precision: 'very-high',
    description:
      'An object uses an apiVersion that the target Kubernetes version (kubernetesVersion) no longer serves (error) or deprecates (warning).',
    why: 'Microsoft\'s [Best practices for cluster security and upgrades in Azure Kubernetes Service (AKS)](https://learn.microsoft.com/azure/aks/operator-best-practices-cluster-security) (section "Regularly update to the latest version of Kubernetes") asks you to upgrade regularly, because AKS supports only three minor versions, and warns that upgrades remove APIs your workloads depend on (as 1.16 did). A manifest with a removed apiVersion fails to apply after the upgrade, often during an incident; PodSecurityPolicy was removed in 1.25 without a replacement API, so its protection silently disappears. The table follows the upstream Kubernetes "Deprecated API Migration Guide" (src/data/deprecated-apis.ts names its sources). Set `kubernetesVersion` in .podguard.yml or pass `--kubernetes-version` to match your clusters.',
    fix: 'Move to the replacement version the message names, and check the field changes the migration guide lists for it (`kubectl convert -f old.yaml --output-version apps/v1` does most of it):\n\n```yaml\napiVersion: apps/v1          # was extensions/v1beta1\nkind: Deployment\nspec:\n  selector:                  # required in apps/v1\n    matchLabels:\n      app: web\n```',
    tags: ['kubernetes', 'upgrade', 'aks'],
    kinds: ['kubernetes'],
    messages: {
      removed: '{kind} {apiVersion} is no longer served since Kubernetes {removedIn} (target {target}): use {replacement}.',
      removedNoReplacement:
        '{kind} {apiVersion} is no longer served since Kubernetes {removedIn} (target {target}) and has no replacement API: use {instead}.',
      deprecated: '{kind} {apiVersion} is deprecated{removal} (target {target}): use {replacement}.',
      deprecatedNoReplacement: '{kind} {apiVersion} is deprecated{removal} (target {target}) and has no replacement API: use {instead}.',
    },
  },
  check(file, ctx) {
    if (file.kind !== 'kubernetes') return;
    const target = ctx.settings.kubernetesVersion;
    for (const obj of file.objects) {
      const d = deprecatedApi(obj.apiVersion, obj.kind);
      if (!d || compareVersions(target, d.deprecatedIn) < 0) continue;
      const removed = d.removedIn !== null && compareVersions(target, d.removedIn) >= 0;
      const replacement = replacementFor(d, target);
      const base = removed ? 'removed' : 'deprecated';
      const data = {
        kind: obj.kind,
        apiVersion: obj.apiVersion,
        target,
        removedIn: d.removedIn ?? '',
        removal: d.removedIn ? ` and removed in Kubernetes ${d.removedIn}` : '',
        replacement: replacement ?? '',
        instead: d.instead ?? '',
      };
      ctx.report({
        messageId: replacement ? base : `${base}NoReplacement`,
        data,
        at: getPair(obj.node, 'apiVersion') ?? obj.node,
        identity: `${obj.namespace ?? ''}/${obj.label}`,
        value: `${obj.apiVersion} ${obj.kind}`,
        ...(removed ? {} : { level: 'warning' as const }),
      });
    }
  },
};
