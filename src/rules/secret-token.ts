import type { Rule } from './api.js';
import { asMap, get } from '../parse/yaml.js';
import { describeSecret } from '../report/redact.js';
import { TOKEN_MESSAGES, findTokens } from '../secrets/detectors.js';
import { isYamlFile } from './util.js';

/** Known credential formats anywhere in a manifest, compose/ACI file or Dockerfile. */
export const rule: Rule = {
  meta: {
    id: 'secret-token',
    title: 'Credential token committed',
    level: 'error',
    securitySeverity: 9.0,
    precision: 'high',
    description:
      'A known credential format appears in the file: Azure identifiable keys (Marvin32 checksum verified), Entra ID client secrets, Azure annotated (JQQJ) keys, storage/Service Bus keys in connection strings, SAS tokens, private keys, AWS, GCP, GitHub, GitLab, Slack, npm, PyPI and Docker Hub tokens, passwords in connection strings and URLs, JWTs.',
    why: 'Microsoft\'s guidance says no credentials in code or images: use Key Vault with the Secrets Store CSI driver and managed or workload identities ([Best practices for pod security in Azure Kubernetes Service (AKS)](https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security); [Security considerations for Azure Container Instances](https://learn.microsoft.com/azure/container-instances/container-instances-image-security)). A token in a committed file is readable by everyone with access to the repository, its forks and its CI logs, and stays in the git history after deletion. Checksum-verified and provider-specific formats are errors (SARIF precision very-high/high); passwords in connection strings and URLs are warnings (medium); JWTs are notes, because many are expired or test tokens.',
    fix: 'Remove the value, **rotate it** (it stays in git history), and reference it instead:\n\n```yaml\n# Kubernetes: from a Secret synced from Key Vault by the Secrets Store CSI driver\nenv:\n  - name: STORAGE_CONNECTION_STRING\n    valueFrom:\n      secretKeyRef:\n        name: app-secrets\n        key: storage-connection-string\n```\n\nBetter still, drop the key: Azure services accept workload identity (`azure.workload.identity/use: "true"`) instead of account keys. In a Dockerfile, use `RUN --mount=type=secret,id=...`.',
    tags: ['security', 'secrets'],
    kinds: ['kubernetes', 'compose', 'aci', 'dockerfile'],
    messages: TOKEN_MESSAGES,
    defaultOptions: { ignoreTypes: [] },
    optionsSchema: {
      type: 'object',
      properties: {
        ignoreTypes: {
          type: 'array',
          items: { type: 'string', enum: Object.keys(TOKEN_MESSAGES) },
          uniqueItems: true,
          description: 'Token types (message ids, e.g. jwt, urlCredentials) not to report.',
        },
      },
      additionalProperties: false,
    },
  },
  check(file, ctx) {
    const { text, lines } = file.source;
    let from = 0;
    let to = text.length;
    // Literal Secret data is reported (with its token type) by secret-kubernetes-secret.
    const skip: [number, number][] = [];
    if (isYamlFile(file)) {
      // Multi-document files arrive one document at a time: scan from this document's `---`
      // line to the next one, so every line of the file is scanned exactly once.
      const doc = file.docs[0];
      const nextSeparator = (offset: number): number => {
        const i = text.slice(offset).search(/^---/m);
        return i < 0 ? text.length : offset + i;
      };
      if (!doc?.root) {
        // A document that did not parse still leaks what it holds: scan it when it is locatable
        // (the whole file is one document); other broken documents of a multi-document file are not.
        if (doc && (doc.index !== 0 || nextSeparator(4) < text.length)) return;
      } else {
        from = doc.index === 0 ? 0 : text.lastIndexOf('\n---', doc.root.start) + 1;
        to = nextSeparator(doc.root.end);
      }
      for (const obj of file.objects) {
        if (obj.kind !== 'Secret') continue;
        for (const field of ['data', 'stringData']) {
          const m = asMap(get(obj.node, field));
          if (m) skip.push([m.start, m.end]);
        }
      }
    }
    const ignored = new Set(Array.isArray(ctx.options.ignoreTypes) ? (ctx.options.ignoreTypes as string[]) : []);
    const region = text.slice(from, to);
    for (const m of findTokens(region)) {
      if (ignored.has(m.messageId)) continue;
      const start = from + m.start;
      const end = from + m.end;
      if (skip.some(([a, b]) => start >= a && end <= b)) continue;
      ctx.report({
        messageId: m.messageId,
        data: { desc: describeSecret(m.value), label: m.label },
        at: lines.range(start, end),
        identity: m.messageId,
        secret: m.value,
        level: m.level,
        properties: { precision: m.precision, tokenType: m.label, checksumVerified: m.verified },
      });
    }
  },
};
