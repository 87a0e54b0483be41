import type { Rule } from '../rule.js';
import { asText } from '../parse/yaml.js';
import { aciRegistryCredentials } from '../parse/services.js';
import { describeSecret } from '../redact.js';
import { isPlaceholder, isReference } from '../secrets/heuristics.js';
import { isYamlFile } from './util.js';

/** ACI image registry credentials must not carry a literal password. */
export const rule: Rule = {
  meta: {
    id: 'secret-aci-registry-password',
    title: 'ACI registry password committed',
    level: 'error',
    securitySeverity: 8.5,
    precision: 'very-high',
    description: 'An Azure Container Instances `imageRegistryCredentials[].password` is a literal value.',
    why: "Microsoft's guidance keeps credentials out of code: use managed identities and Key Vault ([Security considerations for Azure Container Instances](https://learn.microsoft.com/azure/container-instances/container-instances-image-security); [Best practices for pod security in Azure Kubernetes Service (AKS)](https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security)). A registry password in the container group file lets anyone with the repository pull (and, with an admin key, push) images. ACI can pull from Azure Container Registry with a managed identity, so no password is needed at all.",
    fix: 'Pull with a managed identity instead of a password:\n\n```yaml\nidentity:\n  type: UserAssigned\n  userAssignedIdentities:\n    /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aci-pull: {}\nproperties:\n  imageRegistryCredentials:\n    - server: myregistry.azurecr.io\n      identity: /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aci-pull\n```\n\nOr pass the password at deploy time (`az container create --registry-password "$ACR_PASSWORD"`). Rotate the committed one.',
    tags: ['security', 'secrets', 'aci'],
    kinds: ['aci'],
    messages: {
      password: 'Container group "{group}" commits the password for registry "{server}" ({desc}); pull with a managed identity instead.',
    },
  },
  check(file, ctx) {
    if (!isYamlFile(file)) return;
    for (const cred of aciRegistryCredentials(file)) {
      const value = asText(cred.password?.value);
      if (!cred.password || value === undefined || value.trim() === '' || isPlaceholder(value) || isReference(value)) continue;
      ctx.report({
        messageId: 'password',
        data: { group: cred.group, server: cred.server ?? '(no server)', desc: describeSecret(value) },
        at: cred.password,
        identity: `${cred.group} ${cred.server ?? ''}`,
        secret: value,
      });
    }
  },
};
