import type { Rule } from '../rule.js';
import { TOKEN_MESSAGES } from '../secrets/detectors.js';
import { reportTokens, tokenMessages } from '../secrets/file-tokens.js';

const MESSAGES = tokenMessages('error');

/** Known credential formats anywhere in a manifest, compose/ACI file or Dockerfile. */
export const rule: Rule = {
  meta: {
    id: 'secret-token',
    title: 'Credential token committed',
    level: 'error',
    securitySeverity: 9.0,
    precision: 'high',
    description:
      'A known credential format appears in the file: Azure identifiable keys (Marvin32 checksum verified), Entra ID client secrets, Azure annotated (JQQJ) keys, storage/Service Bus keys in connection strings, SAS tokens, private keys, AWS, GCP, GitHub, GitLab, Slack, npm, PyPI and Docker Hub tokens. Passwords in connection strings and URLs are secret-password-in-url, JWTs secret-jwt.',
    why: "Microsoft's guidance says no credentials in code or images: use Key Vault with the Secrets Store CSI driver and managed or workload identities ([Best practices for pod security in Azure Kubernetes Service (AKS)](https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security); [Security considerations for Azure Container Instances](https://learn.microsoft.com/azure/container-instances/container-instances-image-security)). A token in a committed file is readable by everyone with access to the repository, its forks and its CI logs, and stays in the git history after deletion. Checksum-verified and provider-specific formats are reported here (SARIF precision very-high/high); passwords in connection strings and URLs are secret-password-in-url (a warning), JWTs secret-jwt (a note, because many are expired or test tokens).",
    fix: 'Remove the value, **rotate it** (it stays in git history), and reference it instead:\n\n```yaml\n# Kubernetes: from a Secret synced from Key Vault by the Secrets Store CSI driver\nenv:\n  - name: STORAGE_CONNECTION_STRING\n    valueFrom:\n      secretKeyRef:\n        name: app-secrets\n        key: storage-connection-string\n```\n\nBetter still, drop the key: Azure services accept workload identity (`azure.workload.identity/use: "true"`) instead of account keys. In a Dockerfile, use `RUN --mount=type=secret,id=...`.',
    tags: ['security', 'secrets'],
    kinds: ['kubernetes', 'compose', 'aci', 'dockerfile'],
    messages: MESSAGES,
    defaultOptions: { ignoreTypes: [] },
    optionsSchema: {
      type: 'object',
      properties: {
        ignoreTypes: {
          type: 'array',
          // Every token type stays accepted: jwt and urlCredentials were this rule's before the split.
          items: { type: 'string', enum: Object.keys(TOKEN_MESSAGES) },
          uniqueItems: true,
          description:
            'Token types (message ids, e.g. githubToken, awsAccessKey) not to report; jwt and urlCredentials here still switch those types off in secret-jwt and secret-password-in-url.',
        },
      },
      additionalProperties: false,
    },
  },
  check(file, ctx) {
    const ignored = new Set(Array.isArray(ctx.options.ignoreTypes) ? (ctx.options.ignoreTypes as string[]) : []);
    reportTokens(file, ctx, 'error', ignored);
  },
};
