import type { Rule } from '../rule.js';
import { forEachImageRef } from '../image/refs.js';
import { allowedText, judgeName, policyOf } from '../image/policy.js';

/** Images must come from approved registries and repositories, and never from a denied one. */
export const rule: Rule = {
  meta: {
    id: 'image-not-allowed',
    title: 'Image not allowed by the image policy',
    level: 'error',
    securitySeverity: 7.5,
    precision: 'very-high',
    description:
      'An image reference (Dockerfile FROM/COPY --from/RUN --mount, Kubernetes, docker-compose, ACI) matches deniedImages, or matches no allowedImages pattern.',
    why: 'The AKS and ACI guidance asks for images only from a private, trusted registry (Azure Container Registry) and only approved, lean base images ([Security considerations for Azure Container Instances](https://learn.microsoft.com/azure/container-instances/container-instances-image-security): use a private registry; [Best practices for container image management and security in AKS](https://learn.microsoft.com/azure/aks/operator-best-practices-container-image-management): secure and approved base images). An image from an unapproved source is unscanned code running in your cluster. One policy covers every place an image is named, so a Dockerfile cannot pull what a manifest may not.',
    fix: 'Use an image from an approved registry, or approve it in `.podguard.yml` (patterns match normalised names without tag; `**` spans segments, `*` stays in one, a bare host means the whole registry):\n\n```yaml\nallowedImages:\n  - myregistry.azurecr.io/**\n  - mcr.microsoft.com/dotnet/*\ndeniedImages:\n  - docker.io/library/centos   # end of life\n```',
    tags: ['security', 'supply-chain', 'image'],
    kinds: ['dockerfile', 'kubernetes', 'compose', 'aci'],
    silentUnless: 'Silent unless allowedImages or deniedImages is configured in .podguard.yml or given with --allow-image.',
    messages: {
      denied: '{where} uses image "{image}" ({name}), which matches the denied pattern "{pattern}" (deniedImages). Allowed: {allowed}.',
      notAllowed: '{where} uses image "{image}" ({name}), which matches no allowedImages pattern. Allowed: {allowed}.',
    },
  },
  check(file, ctx) {
    const policy = policyOf(ctx.settings, ctx.state);
    if (policy.allowed.length === 0 && policy.denied.length === 0) return;
    for (const r of forEachImageRef(file)) {
      // A template's registry and repository are decided elsewhere (image-template says so).
      if (!r.ref?.ok || r.template) continue;
      const verdict = judgeName(policy, r.ref.name);
      if (verdict.kind === 'allowed') continue;
      const data = { where: r.where, image: r.text, name: r.ref.name, allowed: allowedText(policy) };
      if (verdict.kind === 'denied') {
        ctx.report({ messageId: 'denied', data: { ...data, pattern: verdict.pattern }, at: r.at, identity: r.identity, value: r.ref.name });
      } else {
        ctx.report({ messageId: 'notAllowed', data, at: r.at, identity: r.identity, value: r.ref.name });
      }
    }
  },
};
