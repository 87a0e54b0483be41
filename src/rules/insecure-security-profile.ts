import type { Rule, RuleContext } from '../rule.js';
import { asItems, asMap, asText, get, getPair } from '../parse/yaml.js';
import type { YMap } from '../parse/yaml.js';
import { containerField } from '../parse/workloads.js';
import { firstTime, forEachModelContainer, forEachWorkload, inUserNamespace, kubernetesMinor } from './util.js';

/** SELinux types the Pod Security Standards baseline allows, by the policy version that added them (check_seLinuxOptions.go). */
const SELINUX_TYPES: readonly [number, string][] = [
  [0, 'container_t'],
  [0, 'container_init_t'],
  [0, 'container_kvm_t'],
  [31, 'container_engine_t'],
];

/** Sysctls the baseline calls safe, by the policy version that added them (check_sysctls.go). */
const SAFE_SYSCTLS: readonly [number, string][] = [
  [0, 'kernel.shm_rmid_forced'],
  [0, 'net.ipv4.ip_local_port_range'],
  [0, 'net.ipv4.ip_unprivileged_port_start'],
  [0, 'net.ipv4.tcp_syncookies'],
  [0, 'net.ipv4.ping_group_range'],
  [27, 'net.ipv4.ip_local_reserved_ports'],
  [29, 'net.ipv4.tcp_keepalive_time'],
  [29, 'net.ipv4.tcp_fin_timeout'],
  [29, 'net.ipv4.tcp_keepalive_intvl'],
  [29, 'net.ipv4.tcp_keepalive_probes'],
  [32, 'net.ipv4.tcp_rmem'],
  [32, 'net.ipv4.tcp_wmem'],
  [37, 'net.ipv4.tcp_slow_start_after_idle'],
  [37, 'net.ipv4.tcp_notsent_lowat'],
];

/** The names of a versioned list that hold at Kubernetes 1.`minor`. */
const atVersion = (list: readonly [number, string][], minor: number): ReadonlySet<string> => {
  // Built once per list and version, not for every document checked.
  let byMinor = versioned.get(list);
  if (!byMinor) versioned.set(list, (byMinor = new Map()));
  let set = byMinor.get(minor);
  if (!set) byMinor.set(minor, (set = new Set(list.filter(([since]) => since <= minor).map(([, name]) => name))));
  return set;
};
const versioned = new WeakMap<readonly [number, string][], Map<number, ReadonlySet<string>>>();

/** AppArmor annotation values the baseline accepts (check_appArmorProfile.go). */
const apparmorAnnotationOk = (v: string): boolean => v === '' || v === 'runtime/default' || v.startsWith('localhost/');

const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

/** Reports the profile problems of one securityContext (pod or container level). */
function checkContext(ctx: RuleContext, sc: YMap | undefined, subject: string, selinuxTypes: ReadonlySet<string>): void {
  if (!sc) return;
  for (const [field, messageId] of [
    ['seccompProfile', 'seccompUnconfined'],
    ['appArmorProfile', 'apparmorUnconfined'],
  ] as const) {
    const type = getPair(get(sc, field), 'type');
    // The API only accepts `Unconfined`; any casing still says what the author meant.
    if (type && asText(type.value)?.toLowerCase() === 'unconfined')
      ctx.report({ messageId, data: { subject }, at: type, identity: subject });
  }
  const selinux = asMap(get(sc, 'seLinuxOptions'));
  const selinuxType = getPair(selinux, 'type');
  const typeText = asText(selinuxType?.value);
  if (selinuxType && typeText && !selinuxTypes.has(typeText)) {
    ctx.report({ messageId: 'selinuxType', data: { subject, type: typeText }, at: selinuxType, identity: subject, value: typeText });
  }
  for (const field of ['user', 'role'] as const) {
    const pair = getPair(selinux, field);
    const text = asText(pair?.value);
    if (pair && text)
      ctx.report({
        messageId: 'selinuxUserRole',
        data: { subject, field, value: text },
        at: pair,
        identity: subject,
        value: `${field}=${text}`,
      });
  }
}

/** Pods must not switch off seccomp, AppArmor, SELinux confinement, /proc masking or kernel isolation. */
export const rule: Rule = {
  meta: {
    id: 'insecure-security-profile',
    title: 'Security profile disabled',
    level: 'error',
    securitySeverity: 7.5,
    precision: 'very-high',
    description:
      'A pod or container runs seccomp or AppArmor Unconfined (field or annotation), uses a custom SELinux type, user or role, sets procMount other than Default, or sets a sysctl outside the safe set of the target Kubernetes version; a compose service sets security_opt seccomp or apparmor unconfined, or label:disable.',
    why: 'seccomp, AppArmor and SELinux are the kernel\'s second line of defence: they limit what a compromised process can ask the kernel for, and they are what stops many container escapes. Microsoft\'s "Best practices for pod security in AKS" names AppArmor, seccomp and SELinux labels as the means to limit container access to resources, with the least privileges needed. The Pod Security Standards *baseline* profile forbids `Unconfined` seccomp and AppArmor profiles, SELinux types other than `container_t`, `container_init_t`, `container_kvm_t` and `container_engine_t` (and any custom user or role), an unmasked `/proc`, and sysctls outside a short safe list (other sysctls can change the whole node or other pods). podguard follows the Pod Security admission checks of the target `kubernetesVersion`: `container_engine_t` is allowed from 1.31; the safe sysctls grow at 1.27 (`ip_local_reserved_ports`), 1.29 (`tcp_keepalive_*`, `tcp_fin_timeout`), 1.32 (`tcp_rmem`, `tcp_wmem`) and 1.37 (`tcp_slow_start_after_idle`, `tcp_notsent_lowat`); from 1.35 `profile: baseline` lets a pod with `hostUsers: false` set another `procMount` (the restricted profile never does).',
    fix: 'Use the runtime\'s default confinement (or a reviewed Localhost profile) and only safe sysctls:\n\n```yaml\nspec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n    appArmorProfile:\n      type: RuntimeDefault\n    sysctls:\n      - name: net.ipv4.ip_local_port_range\n        value: "1024 65535"\n  containers:\n    - name: web\n      securityContext:\n        procMount: Default\n```\n\nRemove custom `seLinuxOptions` unless the cluster operator provides that policy.',
    tags: ['security', 'kubernetes', 'pod-security'],
    fixByFormat: {
      compose:
        "Remove the `security_opt` entries that switch confinement off; Docker then applies its default seccomp and AppArmor profiles (an error for compose too: the profile is what stands between the service and the host's kernel):\n\n```yaml\nservices:\n  web:\n    security_opt:\n      - no-new-privileges:true\n      # not seccomp:unconfined, apparmor:unconfined or label:disable\n```\n\nCompose `sysctls` are not reported: Docker accepts only namespaced sysctls, which do not change the host.",
    },
    kinds: ['kubernetes', 'compose'],
    profile: 'baseline',
    messages: {
      seccompUnconfined: '{subject} runs without a seccomp profile (Unconfined): every system call is open to it.',
      apparmorUnconfined: '{subject} runs without AppArmor confinement (Unconfined).',
      apparmorAnnotation:
        '{subject} has an AppArmor annotation value that Pod Security admission rejects: only runtime/default and localhost/<profile> are accepted.',
      selinuxType:
        '{subject} uses the custom SELinux type {type}; only container_t, container_init_t, container_kvm_t and container_engine_t are allowed.',
      selinuxUserRole: '{subject} sets a custom SELinux {field} ({value}).',
      procMount: '{subject} sets procMount to a value other than Default: the kernel paths normally masked in /proc are exposed.',
      unsafeSysctl: '{subject} sets the sysctl {sysctl}, which is not in the Pod Security Standards safe set.',
      selinuxDisabled: '{subject} disables SELinux labelling (label:disable): the container is not confined by SELinux.',
    },
  },
  check(file, ctx) {
    const minor = kubernetesMinor(ctx.settings);
    const safeSysctls = atVersion(SAFE_SYSCTLS, minor);
    const selinuxTypes = atVersion(SELINUX_TYPES, minor);
    const once = firstTime();
    forEachModelContainer(file, (c) => {
      const subject = c.label;
      for (const [messageId, at] of [
        ['seccompUnconfined', c.seccompUnconfined],
        ['apparmorUnconfined', c.apparmorUnconfined],
        ['selinuxDisabled', c.labelDisabled],
      ] as const) {
        if (at && once(at)) ctx.report({ messageId, data: { subject }, at, identity: subject });
      }
    });
    forEachWorkload(file, (w) => {
      checkContext(ctx, w.podSecurityContext, w.label, selinuxTypes);
      for (const item of asItems(get(w.podSecurityContext, 'sysctls'))) {
        const namePair = getPair(item, 'name');
        const sysctl = asText(namePair?.value);
        // The kernel accepts `/` as well as `.` as separator.
        if (namePair && sysctl && !safeSysctls.has(sysctl.replaceAll('/', '.'))) {
          ctx.report({ messageId: 'unsafeSysctl', data: { subject: w.label, sysctl }, at: namePair, identity: w.label, value: sysctl });
        }
      }
      const annotations = asMap(get(w.podMeta, 'annotations'));
      for (const pair of annotations?.pairs ?? []) {
        const raw = asText(pair.value) ?? '';
        const value = raw.toLowerCase();
        if (pair.keyText.startsWith(APPARMOR_PREFIX)) {
          // Pod Security admission accepts only empty, runtime/default and localhost/... (exact case).
          if (apparmorAnnotationOk(raw)) continue;
          const name = pair.keyText.slice(APPARMOR_PREFIX.length);
          ctx.report({
            messageId: value === 'unconfined' ? 'apparmorUnconfined' : 'apparmorAnnotation',
            data: { subject: `${w.label} container "${name}"` },
            at: pair,
            identity: `${w.label} container "${name}"`,
          });
          continue;
        }
        if (value !== 'unconfined') continue;
        if (pair.keyText.startsWith(SECCOMP_CONTAINER_PREFIX)) {
          const name = pair.keyText.slice(SECCOMP_CONTAINER_PREFIX.length);
          ctx.report({
            messageId: 'seccompUnconfined',
            data: { subject: `${w.label} container "${name}"` },
            at: pair,
            identity: `${w.label} container "${name}"`,
          });
        } else if (pair.keyText === SECCOMP_POD_ANNOTATION) {
          ctx.report({ messageId: 'seccompUnconfined', data: { subject: w.label }, at: pair, identity: w.label });
        }
      }
      for (const c of w.containers) {
        checkContext(ctx, c.securityContext, c.label, selinuxTypes);
        const procMount = containerField(c, 'procMount');
        // From policy 1.35 the baseline lets a user-namespace pod unmask /proc; restricted never does.
        const relaxed = minor >= 35 && inUserNamespace(w) && ctx.settings.profile === 'baseline';
        const procText = asText(procMount?.value);
        if (procMount && procText !== undefined && procText !== '' && procText !== 'Default' && !relaxed) {
          ctx.report({ messageId: 'procMount', data: { subject: c.label }, at: procMount, identity: c.label });
        }
      }
    });
  },
};
