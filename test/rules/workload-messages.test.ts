/** Workload findings must be understandable on their own: they name the workload, the container and the reason. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanFixture } from '../helpers/fixtures.js';

const HERE = dirname(fileURLToPath(import.meta.url));

async function messages(rel: string, ruleId: string): Promise<string[]> {
  const result = await scanFixture(join(HERE, rel));
  return result.findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.range.start.line}: ${f.message}`);
}

describe('workload messages', () => {
  it('host-path names the volume, what the path exposes, the resolved path and the mounting containers', async () => {
    const m = await messages('host-path/invalid/paths.yaml', 'host-path');
    expect(m).toContain(
      '34: DaemonSet/node-agent volume "etc" mounts the host path /etc/, which exposes the node\'s configuration and credentials (mounted by containers "setup", "agent").',
    );
    expect(m).toContain(
      "52: DaemonSet/node-agent volume \"sneaky\" mounts the host path /tmp/../etc/kubernetes (that is /etc/kubernetes), which exposes the node's Kubernetes credentials and certificates (not mounted by any container).",
    );
    expect(m.find((x) => x.startsWith('43:'))).toContain('exposes /var/lib/kubelet among others');
  });

  it('privilege-escalation says why a false field does not count', async () => {
    const m = await messages('privilege-escalation/invalid/containers.yaml', 'privilege-escalation');
    expect(m).toContain(
      '11: Deployment/api init container "init" does not set allowPrivilegeEscalation: false (the allowPrivilegeEscalation in the pod-level securityContext has no effect: it only works per container).',
    );
    expect(m).toContain('28: Deployment/api container "admin" adds cap_sys_admin, so privilege escalation is always allowed, whatever allowPrivilegeEscalation says.');
  });

  it('misplaced-security-field says where the field belongs', async () => {
    const m = await messages('misplaced-security-field/invalid/nested.yaml', 'misplaced-security-field');
    expect(m[0]).toBe(
      '14: Deployment/web: the securityContext at spec.template.spec.containers[0].ports[0].securityContext has no effect there; it belongs directly under container "web" (at the level of its name: key).',
    );
  });
});
