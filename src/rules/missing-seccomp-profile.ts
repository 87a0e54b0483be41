import type { Rule } from '../rule.js';
import { asMap, asText, get } from '../parse/yaml.js';
import { effective } from '../parse/workloads.js';
import { forEachContainer, isWindowsPod } from './util.js';

const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

/** Legacy annotation values that name a real profile (the API server copies them into the field). */
function confiningAnnotation(value: string | undefined): boolean {
  const v = value?.toLowerCase();
  return v === 'runtime/default' || v === 'docker/default' || (v !== undefined && v.startsWith('localhost/'));
}

/** Containers must run under a seccomp profile. */
export const rule: Rule = {
  meta: {
    id: 'missing-seccomp-profile',
    title: 'No seccomp profile',
    level: 'warning',
    securitySeverity: 5.0,
    precision: 'high',
    description: 'Neither the pod nor the container sets seccompProfile (RuntimeDefault or Localhost).',
    why: 'Without a seccomp profile a container may call every system call the kernel offers, including the rarely used ones behind many container escapes; Kubernetes does not apply the runtime\'s default profile unless asked (or unless the cluster enables `--seccomp-default`). Microsoft\'s "Best practices for pod security in AKS" points to seccomp to limit what containers can do; the Pod Security Standards *restricted* profile requires `RuntimeDefault` or `Localhost`.',
    fix: "Set the runtime's default profile once for the whole pod:\n\n```yaml\nspec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n```",
    tags: ['security', 'kubernetes', 'pod-security'],
    kinds: ['kubernetes'],
    profile: 'restricted',
    silentUnless:
      'Windows pods (`spec.os.name: windows`) are exempt; the legacy `seccomp.security.alpha.kubernetes.io` annotations with `runtime/default` or `localhost/...` count as set.',
    messages: {
      missing: '{container} has no seccomp profile: set seccompProfile.type: RuntimeDefault at pod or container level.',
    },
  },
  check(file, ctx) {
    forEachContainer(file, (c, w) => {
      if (isWindowsPod(w)) return;
      // Any explicit profile counts here; an Unconfined one is insecure-security-profile's finding.
      if (effective(c, 'seccompProfile')) return;
      const annotations = asMap(get(w.podMeta, 'annotations'));
      if (confiningAnnotation(asText(get(annotations, `${SECCOMP_CONTAINER_PREFIX}${c.name}`)))) return;
      if (confiningAnnotation(asText(get(annotations, SECCOMP_POD_ANNOTATION)))) return;
      ctx.report({ messageId: 'missing', data: { container: c.label }, at: c.anchor, identity: c.label });
    });
  },
};
