import type { Rule } from '../rule.js';
import { get } from '../parse/yaml.js';
import { keyList, secretContents } from '../secrets/secret-object.js';
import { isYamlFile } from './util.js';

/** A committed Secret that holds settings only: no credential today, but the wrong place for one tomorrow. */
export const rule: Rule = {
  meta: {
    id: 'secret-kubernetes-settings',
    formerIds: ['secret-kubernetes-secret'],
    title: 'Kubernetes Secret committed with settings only',
    level: 'note',
    securitySeverity: 2.0,
    precision: 'medium',
    description:
      'A `kind: Secret` manifest carries literal values, none of which looks like a credential (`url`, `type`, `insecure`, `project`, `username`, as in an Argo CD repository Secret). A Secret holding a credential is secret-kubernetes-secret.',
    why: "Settings in a Secret are not a leak, but the manifest is where the credential gets added next (`password:` beside `url:`), in plaintext. Keeping Secret manifests out of git, and the settings in a ConfigMap or the credential in Azure Key Vault, follows Microsoft's guidance to keep credentials out of code ([Best practices for pod security in Azure Kubernetes Service (AKS)](https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security)).",
    fix: 'Move plain settings to a ConfigMap, or create the Secret in the cluster (External Secrets, Secrets Store CSI driver, Sealed Secrets) so no Secret manifest lives in git:\n\n```yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: repo-settings\ndata:\n  url: https://github.com/org/app.git\n```',
    tags: ['security', 'secrets', 'kubernetes'],
    kinds: ['kubernetes'],
    messages: {
      settings:
        '{object} commits plaintext values under {fields} (keys: {keys}), none of which looks like a credential; keep settings in a ConfigMap and credentials out of git.',
    },
  },
  check(file, ctx) {
    if (!isYamlFile(file)) return;
    if (file.docs.some((d) => get(d.root ?? undefined, 'sops') !== undefined)) return;
    for (const obj of file.objects) {
      if (obj.kind !== 'Secret') continue;
      const contents = secretContents(obj);
      if (!contents || contents.entries.some((e) => e.credential)) continue;
      const keys = contents.entries.map((e) => e.key);
      const fields = [...new Set(contents.entries.map((e) => e.field))].join(' and ');
      ctx.report({
        messageId: 'settings',
        data: { object: obj.label, fields, keys: keyList(keys) },
        at: contents.at,
        identity: obj.label,
        value: keys.join(','),
      });
    }
  },
};
