import type { Rule } from '../rule.js';
import { ignoredTokenTypes, reportTokens, tokenMessages } from '../secrets/file-tokens.js';

/** A JSON Web Token committed in a file. */
export const rule: Rule = {
  meta: {
    id: 'secret-jwt',
    formerIds: ['secret-token'],
    title: 'JSON Web Token committed',
    level: 'note',
    securitySeverity: 3.0,
    precision: 'low',
    description: 'A JSON Web Token (three base64url parts, a JSON header) appears in a manifest, compose/ACI file or Dockerfile.',
    why: "A JWT is a bearer credential until it expires: whoever holds it acts as its subject. Many committed JWTs are expired or test tokens, so this is a note: check the `exp` claim and the issuer, and rotate the signing key if a live token leaked. Microsoft's guidance keeps credentials out of code ([Best practices for pod security in Azure Kubernetes Service (AKS)](https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security)).",
    fix: 'Remove the token and fetch one at run time (workload identity, a token request to the issuer), or inject it from Azure Key Vault:\n\n```yaml\nenv:\n  - name: API_TOKEN\n    valueFrom:\n      secretKeyRef:\n        name: app-secrets\n        key: api-token\n```',
    tags: ['security', 'secrets'],
    kinds: ['kubernetes', 'compose', 'aci', 'dockerfile'],
    messages: tokenMessages('note'),
  },
  check(file, ctx) {
    reportTokens(file, ctx, 'note', ignoredTokenTypes(ctx));
  },
};
