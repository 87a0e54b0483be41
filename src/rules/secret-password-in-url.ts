import type { Rule } from '../rule.js';
import { ignoredTokenTypes, reportTokens, tokenMessages } from '../secrets/file-tokens.js';

/** A password written into a connection string or URL. */
export const rule: Rule = {
  meta: {
    id: 'secret-password-in-url',
    formerIds: ['secret-token'],
    title: 'Password in a connection string or URL',
    level: 'warning',
    securitySeverity: 6.5,
    precision: 'medium',
    description:
      'A connection string (`Password=...`, and the like) or URL (`scheme://user:password@host`) holds a literal password anywhere in a manifest, compose/ACI file or Dockerfile.',
    why: "A password inside a connection string is as readable as any other committed credential, and it is often a shared database login. It is a warning, not an error, because these strings are also how local-development defaults and test fixtures are written. Microsoft's guidance keeps credentials out of code ([Best practices for pod security in Azure Kubernetes Service (AKS)](https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security); [Security considerations for Azure Container Instances](https://learn.microsoft.com/azure/container-instances/container-instances-image-security)).",
    fix: 'Keep the connection string in Azure Key Vault and inject it, or use a managed identity (Azure SQL, PostgreSQL flexible server and others accept Entra ID tokens instead of passwords):\n\n```yaml\nenv:\n  - name: DB_CONNECTION\n    valueFrom:\n      secretKeyRef:\n        name: app-secrets\n        key: db-connection\n```',
    tags: ['security', 'secrets'],
    kinds: ['kubernetes', 'compose', 'aci', 'dockerfile'],
    messages: tokenMessages('warning'),
  },
  check(file, ctx) {
    reportTokens(file, ctx, 'warning', ignoredTokenTypes(ctx));
  },
};
