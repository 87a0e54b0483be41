import type { Rule } from '../rule.js';
import { forEachImageRef } from '../image/refs.js';

/** An image reference that still holds a documentation or pipeline placeholder. */
export const rule: Rule = {
  meta: {
    id: 'image-template',
    title: 'Image reference is a template',
    level: 'note',
    securitySeverity: 2.0,
    precision: 'high',
    description:
      'An image reference holds a placeholder (`<DOCKER_REPO>/app:1.0`, `REGION-docker.pkg.dev/PROJECT_ID/app`, `{{registry}}`, `__TAG__`) that something fills in before deploying, so its registry cannot be checked against the image policy. A visible missing tag or `:latest` is still image-tag.',
    why: 'Templates are a normal way to share manifests, but the image policy (allowed registries) can only judge what it can read, and the file cannot be applied as it stands. Saying so keeps a green check from claiming more than it checked. Microsoft asks that only known, approved images reach a cluster ([Best practices for container image management and security in AKS](https://learn.microsoft.com/azure/aks/operator-best-practices-container-image-management)): check the rendered output, where the real reference stands.',
    fix: 'Scan what is deployed (the rendered manifest, or the template with its values filled in), or write the image out:\n\n```yaml\nimage: myregistry.azurecr.io/shop/web:1.2.0\n```',
    tags: ['supply-chain', 'image'],
    kinds: ['dockerfile', 'kubernetes', 'compose', 'aci'],
    messages: {
      template:
        '{where} uses an image reference that is a template (it holds a placeholder), so its registry could not be checked against the image policy. Scan the filled-in reference, or write the image out.',
    },
  },
  check(file, ctx) {
    for (const r of forEachImageRef(file)) {
      if (!r.template) continue;
      ctx.report({
        messageId: 'template',
        data: { where: r.where },
        at: r.at,
        identity: r.identity,
        value: r.text,
      });
    }
  },
};
