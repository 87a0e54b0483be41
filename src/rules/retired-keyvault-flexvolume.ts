import type { Rule } from '../rule.js';
import { asItems, asText, get, getPair } from '../parse/yaml.js';
import { forEachWorkload } from './util.js';

/** The retired Key Vault FlexVolume driver -> Secrets Store CSI driver. */
export const rule: Rule = {
  meta: {
    id: 'retired-keyvault-flexvolume',
    title: 'Retired Key Vault FlexVolume driver',
    level: 'warning',
    securitySeverity: 5.0,
    precision: 'very-high',
    description: 'A pod mounts Azure Key Vault secrets with the retired FlexVolume driver (flexVolume.driver: azure/kv).',
    why: 'Older editions of Microsoft\'s [Best practices for pod security in Azure Kubernetes Service (AKS)](https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security) recommended the Key Vault FlexVolume driver; the current edition (section "Use Azure Key Vault with Secrets Store CSI Driver") replaces it with the Secrets Store CSI driver and the Azure Key Vault provider. The FlexVolume project (Azure/kubernetes-keyvault-flexvol) is archived and gets no security fixes, Kubernetes deprecated FlexVolume itself, and the driver relies on AAD pod identity or service principal secrets stored in the cluster. The CSI driver is an AKS add-on (`az aks enable-addons --addons azure-keyvault-secrets-provider`) that works with Microsoft Entra Workload ID and rotates secrets.',
    fix: 'Describe the secrets once in a SecretProviderClass and mount them with the CSI driver:\n\n```yaml\napiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata:\n  name: app-kv\nspec:\n  provider: azure\n  parameters:\n    clientID: <workload identity client id>   # Microsoft Entra Workload ID\n    keyvaultName: my-vault\n    tenantId: <tenant id>\n    objects: |\n      array:\n        - |\n          objectName: db-password\n          objectType: secret\n---\n# in the pod spec, replacing the flexVolume volume:\nvolumes:\n  - name: secrets\n    csi:\n      driver: secrets-store.csi.k8s.io\n      readOnly: true\n      volumeAttributes:\n        secretProviderClass: app-kv\n```',
    tags: ['security', 'kubernetes', 'secrets', 'aks', 'retired'],
    kinds: ['kubernetes'],
    messages: {
      flexVolume:
        '{workload} volume "{volume}" uses the retired Key Vault FlexVolume driver ({driver}): move to the Secrets Store CSI driver with the Azure Key Vault provider.',
    },
  },
  check(file, ctx) {
    forEachWorkload(file, (w) => {
      asItems(get(w.podSpec, 'volumes')).forEach((v, i) => {
        const driverPair = getPair(get(v, 'flexVolume'), 'driver');
        const driver = asText(driverPair?.value);
        // The driver registered as azure/kv; vendor-prefixed spellings seen in forks end the same way.
        if (!driverPair || driver === undefined || !/(^|\/)azure\/kv$/i.test(driver.trim())) return;
        const volume = asText(get(v, 'name')) ?? `#${i + 1}`;
        ctx.report({
          messageId: 'flexVolume',
          data: { workload: w.label, volume, driver },
          at: driverPair,
          identity: `${w.label} volume "${volume}"`,
        });
      });
    });
  },
};
