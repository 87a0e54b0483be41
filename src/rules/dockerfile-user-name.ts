import type { Rule } from '../rule.js';
import { finalUser } from '../image/user.js';

/** A named final USER: not root, but Kubernetes cannot prove that from a name. */
export const rule: Rule = {
  meta: {
    id: 'dockerfile-user-name',
    formerIds: ['dockerfile-root-user'],
    title: 'Dockerfile image runs as a named user',
    level: 'note',
    securitySeverity: 2.0,
    precision: 'high',
    description:
      "The final stage's last USER is a name (`USER app`), not a numeric UID. On scratch, where a name cannot resolve, dockerfile-root-user reports it instead.",
    why: 'A named user is fine for Docker, but the kubelet can only prove `runAsNonRoot: true` for a numeric UID: for a name it refuses to start the pod unless the manifest sets `runAsUser`. A numeric USER makes the non-root promise checkable, as the AKS pod security practice asks ([Best practices for pod security in Azure Kubernetes Service (AKS)](https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security)).',
    fix: 'Use the numeric UID (and GID) of the user:\n\n```dockerfile\nRUN groupadd --gid 10001 app && useradd --uid 10001 --gid app --no-create-home app\nUSER 10001:10001\n```\n\nOr set `runAsUser: 10001` in the pod `securityContext`.',
    tags: ['security', 'dockerfile', 'pod-security'],
    kinds: ['dockerfile'],
    messages: {
      namedUser:
        'The final stage runs as a named user: fine, but Kubernetes cannot verify runAsNonRoot for a name. Use its numeric UID (USER 10001, see id -u) or set runAsUser in the manifest.',
    },
  },
  check(file, ctx) {
    if (file.kind !== 'dockerfile') return;
    const u = finalUser(file.model);
    if (u?.kind !== 'named' || u.scratch) return;
    const user = (u.user ?? '').split(':')[0]!;
    ctx.report({ messageId: 'namedUser', at: u.range, identity: 'final stage user', value: user });
  },
};
