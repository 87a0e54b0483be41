import type { Rule } from '../rule.js';
import { forEachImageRef } from '../image/refs.js';

/** Says when an image reference holds a variable, so the image policy could not check it. */
export const rule: Rule = {
  meta: {
    id: 'image-unresolved',
    title: 'Image reference could not be checked',
    level: 'note',
    securitySeverity: 2.0,
    precision: 'high',
    description:
      'An image reference still holds a variable after substitution (a Dockerfile ARG without default, a compose ${VAR} without default, an envsubst placeholder), so the image policy could not be checked.',
    why: 'The image policy (allowed registries, pinned tags) can only check what it can read. A variable without a default is decided at build or deploy time, where no review sees it; saying so keeps a green check from claiming more than it checked.',
    fix: 'Give the variable a default that the policy can check, and override it only when needed:\n\n```dockerfile\nARG BASE_IMAGE=mcr.microsoft.com/dotnet/aspnet:8.0\nFROM ${BASE_IMAGE}\n```\n\n```yaml\nimage: ${REGISTRY:-myregistry.azurecr.io}/shop/web:1.2.0\n```',
    tags: ['supply-chain', 'image'],
    kinds: ['dockerfile', 'kubernetes', 'compose', 'aci'],
    messages: {
      unresolved:
        '{where} uses image reference "{image}", whose variable {variable} has no value here, so the image policy could not be checked. Give {variable} a default or write the image out.',
    },
  },
  check(file, ctx) {
    for (const r of forEachImageRef(file)) {
      // `build:` beside `image:` names the image being built: nothing is pulled by that name.
      if (!r.unresolvedVar || r.built) continue;
      ctx.report({
        messageId: 'unresolved',
        data: { where: r.where, image: r.written, variable: r.unresolvedVar },
        at: r.at,
        identity: r.identity,
        value: r.written,
      });
    }
  },
};
