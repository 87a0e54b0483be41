import type { Rule } from '../rule.js';
import { TEMPLATE_STAND_IN, forEachImageRef } from '../image/refs.js';
import { pinProblem, pinnedExample, policyOf } from '../image/policy.js';

/** A version tag can be moved to other content; a digest pins the bytes that were scanned. */
export const rule: Rule = {
  meta: {
    id: 'image-digest',
    formerIds: ['image-tag'],
    title: 'Image not pinned to a digest',
    level: 'note',
    securitySeverity: 3.0,
    precision: 'very-high',
    description:
      'An image reference has a version tag but no @sha256: digest (a note; an error with the `requireDigest` option). Untagged and :latest references are image-tag; the image a compose service builds is not a pull.',
    why: 'A tag is a movable label: whoever can push to the repository can point `1.4.2` at other content, and your next deploy pulls it without a change in git. A digest pins the exact bytes that were scanned and signed. Microsoft asks for known, scanned images and for image integrity ([Best practices for container image management and security in AKS](https://learn.microsoft.com/azure/aks/operator-best-practices-container-image-management); [Security considerations for Azure Container Instances](https://learn.microsoft.com/azure/container-instances/container-instances-image-security)).',
    fix: 'Add the digest the tag points to (`docker buildx imagetools inspect <image>:<tag>` shows it), and let a bot such as Dependabot or Renovate move tag and digest together:\n\n```dockerfile\nFROM mcr.microsoft.com/dotnet/aspnet:8.0@sha256:<digest>\n```\n\n```yaml\nimage: myregistry.azurecr.io/shop/orders-api:1.4.2@sha256:<digest>\n```\n\nTo make a missing digest an error, set the option:\n\n```yaml\nrules:\n  image-digest: { requireDigest: true }\n```',
    tags: ['security', 'supply-chain', 'image'],
    kinds: ['dockerfile', 'kubernetes', 'compose', 'aci'],
    messages: {
      noDigest: '{where} uses image "{image}" without a digest, so the tag can be moved to other content. Pin it as {example}.',
    },
    defaultOptions: { requireDigest: false },
    optionsSchema: {
      type: 'object',
      properties: {
        requireDigest: {
          type: 'boolean',
          description: 'Report a missing digest as an error instead of a note (the top-level `requireDigest` setting still works).',
        },
      },
      additionalProperties: false,
    },
  },
  check(file, ctx) {
    // The top-level `requireDigest` predates this rule (it was part of image-tag) and keeps working.
    const required = ctx.options.requireDigest === true || policyOf(ctx.settings, ctx.state).requireDigest;
    for (const r of forEachImageRef(file)) {
      if (!r.ref?.ok || r.built || pinProblem(r.ref) !== 'noDigest') continue;
      // A tag a pipeline fills in (`:__BUILD_TAG__`) is decided there, digest included.
      if (r.template && r.ref.tag === TEMPLATE_STAND_IN) continue;
      ctx.report({
        messageId: 'noDigest',
        data: { where: r.where, image: r.text, example: pinnedExample(r.template ? { ...r.ref, original: r.text } : r.ref) },
        at: r.at,
        identity: r.identity,
        value: r.ref.name,
        ...(required ? { level: 'error' as const } : {}),
      });
    }
  },
};
