import type { Rule } from '../rule.js';
import { unattributedContainerLists } from '../parse/workloads.js';

/** An object holds containers that no extractor attributed to a pod spec: say so, never pass silently. */
export const rule: Rule = {
  meta: {
    id: 'unrecognised-pod-template',
    title: 'Containers podguard could not check',
    level: 'note',
    securitySeverity: 2.0,
    precision: 'medium',
    description:
      'A Kubernetes object holds a list of containers (items with image:) in a shape podguard does not know as a pod template, so the workload rules did not check them.',
    why: 'Operators and controllers define their own kinds that embed containers (a `spec.containers` list, `sidecars`, `steps`). podguard checks the pod templates of the workload kinds it knows (Deployments and the other core kinds, Argo Rollouts and Workflows, OpenShift DeploymentConfigs and Templates, Knative, Tekton, KEDA ScaledJobs) and any `template` with `spec.containers[]`; a container list elsewhere may still become a pod, privileged or not. A gate that says nothing about it would read as a pass. Microsoft\'s "Best practices for pod security in AKS" applies to every pod, whatever object creates it.',
    fix: "Check the object with the operator's own policy, or suppress the note with the reason it is safe:\n\n```yaml\n# podguard-ignore unrecognised-pod-template -- the operator sets a restricted securityContext on these pods\n```\n\nIf the kind is common, open an issue so podguard learns its pod template path.",
    tags: ['security', 'kubernetes', 'coverage'],
    kinds: ['kubernetes'],
    messages: {
      unattributed:
        '{object} holds containers under {key} that podguard could not attribute to a pod template: the workload rules did not check them.',
    },
  },
  check(file, ctx) {
    if (file.kind !== 'kubernetes') return;
    // Grouped once: a `kind: List` of thousands of items must not make this quadratic.
    const byObject = new Map<unknown, typeof file.workloads>();
    for (const w of file.workloads) byObject.set(w.object, [...(byObject.get(w.object) ?? []), w]);
    for (const obj of file.objects) {
      const own = byObject.get(obj) ?? [];
      for (const pair of unattributedContainerLists(obj, own)) {
        ctx.report({
          messageId: 'unattributed',
          data: { object: obj.label, key: pair.keyText },
          at: pair.key,
          identity: obj.label,
          value: pair.keyText,
        });
      }
    }
  },
};
