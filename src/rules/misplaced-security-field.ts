import type { Rule } from '../rule.js';
import { asMap, get, getPair } from '../parse/yaml.js';
import type { YMap, YNode, YPair } from '../parse/yaml.js';
import { SHARED_SECURITY_FIELDS } from '../parse/workloads.js';
import type { Container, Workload } from '../parse/workloads.js';
import { forEachWorkload } from './util.js';

/** Fields only a container's securityContext has (PodSecurityContext drops them). */
const CONTAINER_ONLY = new Set(['allowPrivilegeEscalation', 'capabilities', 'privileged', 'readOnlyRootFilesystem', 'procMount']);
/** Fields only the pod's securityContext has (SecurityContext drops them). */
const POD_ONLY = new Set(['fsGroup', 'fsGroupChangePolicy', 'supplementalGroups', 'supplementalGroupsPolicy', 'sysctls']);
/** Fields valid in both securityContexts. */
const SHARED = new Set<string>(SHARED_SECURITY_FIELDS);
/** Fields of a securityContext that a container or pod spec does not have itself (so they are a mis-indentation there). */
const CONTEXT_FIELDS = new Set([...CONTAINER_ONLY, ...POD_ONLY, ...SHARED]);

/**
 * The maps between the object's root and its pod spec (`spec`, `template`, `jobTemplate`,
 * their `metadata`) with their dotted paths, and the pod spec's own path. None of those maps has
 * a securityContext field, so one written there is dropped.
 */
function wrappers(w: Workload): { maps: { map: YMap; path: string }[]; podSpecPath: string } {
  const maps: { map: YMap; path: string }[] = [];
  let node: YMap | undefined = w.object.node;
  let path = '';
  for (let depth = 0; node && node !== w.podSpec && depth < 8; depth++) {
    maps.push({ map: node, path });
    const meta = asMap(get(node, 'metadata'));
    if (meta) maps.push({ map: meta, path: join(path, 'metadata') });
    const key: string = get(node, 'template') ? 'template' : get(node, 'jobTemplate') ? 'jobTemplate' : 'spec';
    node = asMap(get(node, key));
    path = join(path, key);
  }
  return { maps, podSpecPath: path };
}

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** A `securityContext` key nested somewhere it is not read, with its path inside the pod spec. */
interface Nested {
  pair: YPair;
  path: string;
  container: Container | undefined;
}

/**
 * Finds `securityContext` keys nested too deep inside the pod spec (a port, a probe, an env
 * item...): only the pod spec's own and each container's are read. Mis-indenting the block by
 * one level lands it in the previous sibling, e.g. the last `ports:` item.
 */
function nestedContexts(w: Workload): Nested[] {
  const out: Nested[] = [];
  const byNode = new Map<YNode, Container>(w.containers.map((c) => [c.node, c]));
  // The keys and item indexes from the pod spec down; a path is spelled only for a finding (the
  // walk visits every node of the pod spec, and spelling each one's path cost most of the rule).
  const trail: (string | number)[] = [];
  const walk = (node: YNode, container: Container | undefined, depth: number): void => {
    if (depth > 12) return;
    if (node.kind === 'seq') {
      for (let i = 0; i < node.items.length; i++) {
        trail.push(i);
        walk(node.items[i]!, container, depth + 1);
        trail.pop();
      }
      return;
    }
    if (node.kind !== 'map') return;
    const own = byNode.get(node);
    const allowed = node === w.podSpec || own !== undefined;
    for (const pair of node.pairs) {
      if (pair.keyText === 'securityContext') {
        if (!allowed) out.push({ pair, path: join(spell(trail), 'securityContext'), container });
        continue;
      }
      if (pair.value.kind === 'scalar') continue;
      trail.push(pair.keyText);
      walk(pair.value, own ?? container, depth + 1);
      trail.pop();
    }
  };
  walk(w.podSpec, undefined, 0);
  return out;
}

/** A trail of keys and indexes as a path: `containers[0].ports[1]`. */
function spell(trail: readonly (string | number)[]): string {
  let path = '';
  for (const step of trail) path = typeof step === 'number' ? `${path}[${step}]` : join(path, step);
  return path;
}

/** Where a securityContext field directly on a container or pod spec belongs. */
function home(field: string, level: 'container' | 'pod'): string {
  if (CONTAINER_ONLY.has(field)) return level === 'container' ? "the container's securityContext" : "each container's securityContext";
  if (POD_ONLY.has(field)) return 'the pod-level securityContext';
  return level === 'container' ? "the container's securityContext" : 'the pod-level securityContext';
}

/** Security settings that Kubernetes silently ignores because of where they are written. */
export const rule: Rule = {
  meta: {
    id: 'misplaced-security-field',
    title: 'Security setting has no effect where it stands',
    level: 'error',
    securitySeverity: 7.0,
    precision: 'very-high',
    description:
      "A securityContext field sits where Kubernetes ignores it: container-only fields in the pod securityContext, pod-only fields in a container's, securityContext fields directly on a container or pod spec, or a securityContext outside the pod spec.",
    why: 'Kubernetes drops fields it does not know at a given level, usually without an error (kubectl only warns, Helm and GitOps tools often say nothing). The manifest *looks* hardened but the setting never reaches the container: `allowPrivilegeEscalation: false` in the pod-level securityContext leaves escalation allowed. Microsoft\'s own "Best practices for pod security in AKS" (Dutch edition) prints its example with the `securityContext` at the wrong level. The pod-level `PodSecurityContext` and the container-level `SecurityContext` are different types: `allowPrivilegeEscalation`, `capabilities`, `privileged`, `readOnlyRootFilesystem` and `procMount` exist only per container; `fsGroup`, `fsGroupChangePolicy`, `supplementalGroups`, `supplementalGroupsPolicy` and `sysctls` only per pod.',
    fix: 'Move each field to the level that has it:\n\n```yaml\nspec:\n  securityContext:            # pod level: users, groups, volumes, sysctls\n    runAsNonRoot: true\n    runAsUser: 1000\n    fsGroup: 2000\n    seccompProfile:\n      type: RuntimeDefault\n  containers:\n    - name: web\n      securityContext:        # container level: privileges of this container\n        allowPrivilegeEscalation: false\n        readOnlyRootFilesystem: true\n        capabilities:\n          drop: ["ALL"]\n```',
    tags: ['security', 'kubernetes', 'pod-security', 'correctness'],
    kinds: ['kubernetes'],
    messages: {
      containerFieldAtPod:
        "{workload}: {field} in the pod-level securityContext has no effect; Kubernetes reads it only from each container's securityContext (containers[].securityContext.{field}).",
      podFieldInContainer:
        '{container}: {field} in the container securityContext has no effect; it belongs in the pod-level securityContext (the one beside containers:).',
      fieldOnContainer: '{container}: {field} is not a container field and has no effect here; it belongs under {where}.',
      fieldOnPodSpec: '{workload}: {field} is not a pod spec field and has no effect here; it belongs under {where}.',
      contextNested: '{workload}: the securityContext at {path} has no effect there; it belongs {home}.',
      contextOutsidePodSpec:
        '{workload}: the securityContext {place} is outside the pod spec and has no effect; move it under {podSpec}.securityContext.',
    },
  },
  check(file, ctx) {
    forEachWorkload(file, (w) => {
      // Only the standard kinds' wrappers are known to hold no securityContext (Argo and Tekton
      // specs have their own), and only a real pod spec's own fields are known.
      const standard = w.shape === 'standard' || w.shape === 'template';
      for (const pair of w.podSecurityContext?.pairs ?? []) {
        if (CONTAINER_ONLY.has(pair.keyText)) {
          ctx.report({
            messageId: 'containerFieldAtPod',
            data: { workload: w.label, field: pair.keyText },
            at: pair,
            identity: w.label,
            value: pair.keyText,
          });
        }
      }
      for (const pair of standard ? w.podSpec.pairs : []) {
        if (!CONTEXT_FIELDS.has(pair.keyText)) continue;
        const where = home(pair.keyText, 'pod');
        ctx.report({
          messageId: 'fieldOnPodSpec',
          data: { workload: w.label, field: pair.keyText, where },
          at: pair,
          identity: w.label,
          value: pair.keyText,
        });
      }
      const { maps, podSpecPath } = wrappers(w);
      for (const { map, path } of standard ? maps : []) {
        const pair = getPair(map, 'securityContext');
        if (!pair) continue;
        const place = path ? `at ${path}.securityContext` : 'at the top level of the object';
        ctx.report({
          messageId: 'contextOutsidePodSpec',
          data: { workload: w.label, place, podSpec: podSpecPath },
          at: pair,
          identity: w.label,
        });
      }
      for (const n of nestedContexts(w)) {
        const home = n.container
          ? `directly under ${n.container.label.slice(w.label.length + 1)} (at the level of its name: key)`
          : 'directly under the pod spec or a container';
        ctx.report({
          messageId: 'contextNested',
          data: { workload: w.label, path: `${podSpecPath}.${n.path}`, home },
          at: n.pair,
          identity: n.container?.label ?? w.label,
          value: n.path,
        });
      }
      for (const c of w.containers) {
        for (const pair of c.securityContext?.pairs ?? []) {
          if (POD_ONLY.has(pair.keyText)) {
            ctx.report({
              messageId: 'podFieldInContainer',
              data: { container: c.label, field: pair.keyText },
              at: pair,
              identity: c.label,
              value: pair.keyText,
            });
          }
        }
        for (const pair of c.node.pairs) {
          if (CONTEXT_FIELDS.has(pair.keyText)) {
            ctx.report({
              messageId: 'fieldOnContainer',
              data: { container: c.label, field: pair.keyText, where: home(pair.keyText, 'container') },
              at: pair,
              identity: c.label,
              value: pair.keyText,
            });
          }
        }
      }
    });
  },
};
