import type { Rule } from '../rule.js';
import { finalUser, nonRootMatcher } from '../image/user.js';

/** The image a Dockerfile ships must not run as root. */
export const rule: Rule = {
  meta: {
    id: 'dockerfile-root-user',
    title: 'Dockerfile image runs as root',
    level: 'error',
    securitySeverity: 7.0,
    precision: 'high',
    description:
      "The final stage's effective user is root: no USER in the final stage or the stages it builds on, or a last USER root/0, or a named user on scratch (no /etc/passwd to resolve it). Base images published as non-root (distroless `:nonroot`, Chainguard, the `nonRootImages` option) count as non-root; a named user is dockerfile-user-name.",
    why: 'The AKS pod security practice says containers should run as a defined, non-root user ([Best practices for pod security in Azure Kubernetes Service (AKS)](https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security)); almost every base image defaults to root. Root in the container is root on the node after an escape. Kubernetes can only prove `runAsNonRoot` when the image user is a number: for a name the kubelet refuses to start the pod.',
    fix: 'Do the steps that need root first, then switch to a numeric non-root user in the final stage:\n\n```dockerfile\nFROM mcr.microsoft.com/dotnet/aspnet:8.0\nRUN groupadd --gid 10001 app && useradd --uid 10001 --gid app --no-create-home app\nCOPY --from=build /out /app\nUSER 10001:10001\n```\n\nOn `FROM scratch` there is no /etc/passwd: use `USER 65532:65532`.',
    tags: ['security', 'dockerfile', 'pod-security'],
    kinds: ['dockerfile'],
    defaultOptions: { nonRootImages: [] },
    optionsSchema: {
      type: 'object',
      properties: {
        nonRootImages: {
          type: 'array',
          // The image pattern alphabet of allowedImages (lowercase names, `*`, `**`, a registry port).
          items: { type: 'string', minLength: 1, pattern: '^[a-z0-9._/*:-]+$' },
          uniqueItems: true,
          description:
            'Image name patterns (like allowedImages, no tag) of base images that run as a non-root user by default; distroless `:nonroot` tags and cgr.dev/chainguard/** are built in.',
        },
      },
      additionalProperties: false,
    },
    messages: {
      noUser:
        'The final stage (FROM {image}) sets no USER, nor does any stage it builds on, so the image runs as root. Add a non-root numeric USER at the end, e.g. USER 10001.',
      rootUser:
        'The final stage runs as root: "USER {user}" is its last USER. Switch back to a non-root numeric user after the steps that need root, e.g. USER 10001.',
      namedOnScratch:
        'The final stage is FROM scratch and runs as the named user "{user}", but scratch has no /etc/passwd, so the container fails to start. Use a numeric UID, e.g. USER 65532:65532.',
    },
  },
  check(file, ctx) {
    if (file.kind !== 'dockerfile') return;
    const u = finalUser(file.model, nonRootMatcher(ctx.options.nonRootImages));
    if (!u) return;
    const identity = 'final stage user';
    if (u.kind === 'default') {
      const image = u.stage.rawImage;
      ctx.report({ messageId: 'noUser', data: { image }, at: u.range, identity });
    } else if (u.kind === 'root') {
      ctx.report({ messageId: 'rootUser', data: { user: u.user ?? '' }, at: u.range, identity, value: u.user });
    } else if (u.kind === 'named') {
      const user = (u.user ?? '').split(':')[0]!;
      // A name scratch cannot resolve fails to start; any other name is dockerfile-user-name's.
      if (u.scratch) ctx.report({ messageId: 'namedOnScratch', data: { user }, at: u.range, identity, value: user });
    }
  },
};
