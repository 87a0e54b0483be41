import type { Rule } from '../rule.js';
import { asMap, get, getPair } from '../parse/yaml.js';

/** Kinds of the AAD pod identity CRDs (group aadpodidentity.k8s.io). */
const POD_IDENTITY_KINDS = new Set(['AzureIdentity', 'AzureIdentityBinding', 'AzurePodIdentityException', 'AzureAssignedIdentity']);
const POD_IDENTITY_GROUP = 'aadpodidentity.k8s.io/';
const BINDING_LABEL = 'aadpodidbinding';

/** The retired AAD pod identity -> Microsoft Entra Workload ID. */
export const rule: Rule = {
  meta: {
    id: 'retired-pod-identity',
    title: 'Retired AAD pod identity',
    level: 'warning',
    securitySeverity: 6.0,
    precision: 'very-high',
    description:
      'A manifest uses AAD pod identity (aadpodidbinding labels, AzureIdentity, AzureIdentityBinding or AzurePodIdentityException objects), retired in favour of Microsoft Entra Workload ID.',
    why: 'Earlier editions of Microsoft\'s [Best practices for pod security in Azure Kubernetes Service (AKS)](https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security) (section "Use pod managed identities") describe managed pod identities. The open-source AAD pod identity project and the AKS pod-managed identity add-on built on it are retired: no fixes since September 2023 and no support from September 2025. Its NMI component intercepts every pod\'s traffic to the metadata endpoint and hands out the identity to any pod that carries the right label, so a label is all it takes to impersonate a workload. Microsoft Entra Workload ID replaces it: the pod exchanges a projected service account token for an Entra token through a federated identity credential, with no node-level interception.',
    fix: 'Create a federated service account, label the pod for Workload ID and remove the pod identity objects and labels:\n\n```yaml\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: my-app\n  annotations:\n    azure.workload.identity/client-id: <managed identity client id>\n---\n# pod template of the workload:\nmetadata:\n  labels:\n    azure.workload.identity/use: "true"   # replaces aadpodidbinding\nspec:\n  serviceAccountName: app\n```\n\nThen federate the identity with the service account: `az identity federated-credential create --name app --identity-name <identity> --resource-group <rg> --issuer <cluster OIDC issuer URL> --subject system:serviceaccount:my-app:app`.',
    tags: ['security', 'kubernetes', 'identity', 'aks', 'retired'],
    kinds: ['kubernetes'],
    messages: {
      bindingLabel:
        '{workload} uses AAD pod identity (label {label}={value}): move to Microsoft Entra Workload ID (azure.workload.identity/use: "true" and a federated service account).',
      identityObject: '{object} is an AAD pod identity object ({kind}): AAD pod identity is retired; use Microsoft Entra Workload ID.',
    },
  },
  check(file, ctx) {
    if (file.kind !== 'kubernetes') return;
    for (const obj of file.objects) {
      if (POD_IDENTITY_KINDS.has(obj.kind) && obj.apiVersion.startsWith(POD_IDENTITY_GROUP)) {
        ctx.report({
          messageId: 'identityObject',
          data: { object: obj.label, kind: obj.kind },
          at: getPair(obj.node, 'kind') ?? obj.node,
          identity: `${obj.namespace ?? 'default'}/${obj.label}`,
        });
      }
    }
    for (const w of file.workloads) {
      const labels = asMap(get(w.podMeta, 'labels'));
      const pair = getPair(labels, BINDING_LABEL);
      if (!pair) continue;
      const value = pair.value.kind === 'scalar' ? pair.value.text : '';
      ctx.report({
        messageId: 'bindingLabel',
        data: { workload: w.label, label: BINDING_LABEL, value },
        at: pair,
        identity: w.label,
        value,
      });
    }
  },
};
