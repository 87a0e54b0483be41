import type { Rule } from '../rule.js';
import { forEachImageRef } from '../image/refs.js';

/** An image reference that Docker and the kubelet would reject. */
export const rule: Rule = {
  meta: {
    id: 'image-reference-invalid',
    title: 'Malformed image reference',
    level: 'error',
    securitySeverity: 7.0,
    precision: 'very-high',
    description:
      'An image reference does not follow the Docker reference grammar (uppercase repository, bad tag or digest, empty, not a string).',
    why: 'A malformed reference fails at pull time (`InvalidImageName`, "invalid reference format"), after review and merge. It also cannot be checked against the image policy, so a typo would otherwise slip past the allowlist.',
    fix: 'Write `[registry[:port]/]repository[:tag][@sha256:digest]`, with a lowercase repository:\n\n```yaml\nimage: myregistry.azurecr.io/shop/orders-api:1.4.2\n```',
    tags: ['correctness', 'image'],
    kinds: ['dockerfile', 'kubernetes', 'compose', 'aci'],
    messages: {
      invalid:
        '{where} uses image reference "{image}", which is malformed: {reason}. Expected [registry[:port]/]repository[:tag][@sha256:digest] in lowercase, e.g. mcr.microsoft.com/dotnet/aspnet:8.0.',
    },
  },
  check(file, ctx) {
    for (const r of forEachImageRef(file)) {
      // A template (`<REPO>/app`) is said by image-template; its placeholders are no typo.
      if (!r.ref || r.ref.ok || r.template) continue;
      ctx.report({
        messageId: 'invalid',
        data: { where: r.where, image: r.text, reason: r.ref.reason },
        at: r.at,
        identity: r.identity,
        value: r.text,
      });
    }
  },
};
