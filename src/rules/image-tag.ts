import type { Rule } from '../rule.js';
import { forEachImageRef } from '../image/refs.js';
import { pinProblem, pinnedExample } from '../image/policy.js';

/** Images must name a version: no tag means `:latest`, and `:latest` moves (digests: image-digest). */
export const rule: Rule = {
  meta: {
    id: 'image-tag',
    title: 'Image without a version tag',
    level: 'error',
    securitySeverity: 7.0,
    precision: 'very-high',
    description:
      'An image reference has no tag or uses :latest. A digest alone is fine; the image a compose service builds is not a pull; a missing digest is image-digest.',
    why: 'Without a tag an image means `:latest`, which moves with every push: the same manifest deploys different code tomorrow, rollbacks are guesswork, and a compromised push reaches you unnoticed. The AKS image guidance asks for known, scanned base images and the ACI guidance for image integrity ([Best practices for container image management and security in AKS](https://learn.microsoft.com/azure/aks/operator-best-practices-container-image-management); [Security considerations for Azure Container Instances](https://learn.microsoft.com/azure/container-instances/container-instances-image-security)). Pin a digest too (image-digest) for the exact bytes that were scanned and signed.',
    fix: 'Pin a version tag, and the digest the tag points to (`docker buildx imagetools inspect <image>:<tag>` shows it):\n\n```dockerfile\nFROM mcr.microsoft.com/dotnet/aspnet:8.0@sha256:<digest>\n```\n\n```yaml\nimage: myregistry.azurecr.io/shop/orders-api:1.4.2@sha256:<digest>\n```',
    tags: ['security', 'supply-chain', 'image'],
    kinds: ['dockerfile', 'kubernetes', 'compose', 'aci'],
    messages: {
      noTag:
        '{where} uses image "{image}" with no tag, so it pulls whatever :latest is at deploy time. Pin a version and digest, e.g. {example}.',
      latest: '{where} uses image "{image}", whose :latest tag moves with every push. Pin a version and digest, e.g. {example}.',
    },
  },
  check(file, ctx) {
    for (const r of forEachImageRef(file)) {
      // `build:` + `image:` in compose names the image being built; nothing is pulled by that tag.
      if (!r.ref?.ok || r.built) continue;
      const problem = pinProblem(r.ref);
      if (!problem || problem === 'noDigest') continue;
      ctx.report({
        messageId: problem,
        data: { where: r.where, image: r.text, example: pinnedExample(r.template ? { ...r.ref, original: r.text } : r.ref) },
        at: r.at,
        identity: r.identity,
        value: r.ref.name,
      });
    }
  },
};
