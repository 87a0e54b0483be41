import type { Rule } from './api.js';
import { finalUser } from '../image/user.js';

/** The image a Dockerfile ships must not run as root. */
export const rule: Rule = {
  meta: {
    id: 'dockerfile-root-user',
    title: 'Dockerfile image runs as root',
    level: 'error',
    securitySeverity: 7.0,
    precision: 'high',
    description:
      "The final stage's effective user is root: no USER in the final stage or the stages it builds on, or a last USER root/0. A named user is accepted with a note.",
    why: 'The AKS pod security practice says containers should run as a defined, non-root user (Microsoft, "Best practices for pod security in AKS"); almost every base image defaults to root. Root in the container is root on the node after an escape. Kubernetes can only prove `runAsNonRoot` when the image user is a number: for a name the kubelet refuses to start the pod.',
    fix: 'Do the steps that need root first, then switch to a numeric non-root user in the final stage:\n\n```dockerfile\nFROM mcr.microsoft.com/dotnet/aspnet:8.0\nRUN groupadd --gid 10001 app && useradd --uid 10001 --gid app --no-create-home app\nCOPY --from=build /out /app\nUSER 10001:10001\n```\n\nOn `FROM scratch` there is no /etc/passwd: use `USER 65532:65532`.',
    tags: ['security', 'dockerfile', 'pod-security'],
    kinds: ['dockerfile'],
    messages: {
      noUser:
        'The final stage (FROM {image}) sets no USER, nor does any stage it builds on, so the image runs as root. Add a non-root numeric USER at the end, e.g. USER 10001.',
      rootUser:
        'The final stage runs as root: "USER {user}" is its last USER. Switch back to a non-root numeric user after the steps that need root, e.g. USER 10001.',
      namedUser:
        'The final stage runs as the named user "{user}": fine, but Kubernetes cannot verify runAsNonRoot for a name. Use its numeric UID (USER 10001, see id -u {user}) or set runAsUser in the manifest.',
      namedOnScratch:
        'The final stage is FROM scratch and runs as the named user "{user}", but scratch has no /etc/passwd, so the container fails to start. Use a numeric UID, e.g. USER 65532:65532.',
    },
  },
  check(file, ctx) {
    if (file.kind !== 'dockerfile') return;
    const u = finalUser(file.model);
    if (!u) return;
    const identity = 'final stage user';
    if (u.kind === 'default') {
      const image = u.stage.rawImage;
      ctx.report({ messageId: 'noUser', data: { image }, at: u.range, identity });
    } else if (u.kind === 'root') {
      ctx.report({ messageId: 'rootUser', data: { user: u.user ?? '' }, at: u.range, identity, value: u.user });
    } else if (u.kind === 'named') {
      const user = (u.user ?? '').split(':')[0]!;
      if (u.scratch) ctx.report({ messageId: 'namedOnScratch', data: { user }, at: u.range, identity, value: user });
      else ctx.report({ messageId: 'namedUser', data: { user }, at: u.range, identity, value: user, level: 'note' });
    }
  },
};
