import type { Rule } from '../rule.js';
import { dfRange } from '../parse/dockerfile.js';
import { instructionText, textRange } from '../parse/dockerfile-shell.js';
import { isDockerFile } from './util.js';

// Package installs of an SSH server, per package manager.
const INSTALL =
  /\b(?:apt-get|apt|yum|dnf|microdnf|zypper|apk|tdnf)\b[^;&|\n]{0,400}?\b(?:install|add)\b[^;&|\n]{0,400}?(?<![\w.-])(openssh-server|openssh|dropbear)(?![\w.-])/g;
// Starting the daemon: `sshd`, `/usr/sbin/sshd -D`, `service ssh start`.
const DAEMON = /(?<![\w.-])(?:\/usr\/s?bin\/)?sshd(?![\w.-])|\bservice[ \t]+ssh[ \t]+start\b/g;

/** An SSH server in a container: a second way in that bypasses the orchestrator. */
export const rule: Rule = {
  meta: {
    id: 'dockerfile-ssh-server',
    title: 'SSH server in the image',
    level: 'warning',
    securitySeverity: 5.0,
    precision: 'high',
    description: 'A Dockerfile exposes port 22, installs an SSH server (openssh-server, dropbear) or starts sshd.',
    why: 'An SSH daemon is a second, long-lived way into the container with its own keys and passwords, outside the audit and access control of the orchestrator, and it needs root to run. `kubectl exec` / `az container exec` give shell access when it is needed, with Kubernetes RBAC or Azure RBAC in front. Microsoft asks that containers run only what they need with the least privilege ([Best practices for pod security in Azure Kubernetes Service (AKS)](https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security); [Security considerations for Azure Container Instances](https://learn.microsoft.com/azure/container-instances/container-instances-image-security)).',
    fix: 'Drop the SSH server and the port; use the platform to get a shell:\n\n```sh\nkubectl exec -it deploy/api -- sh\naz container exec --resource-group rg --name app --exec-command /bin/sh\n```',
    tags: ['security', 'dockerfile'],
    kinds: ['dockerfile'],
    messages: {
      expose: 'EXPOSE 22 publishes an SSH port: a way into the container that bypasses the orchestrator. Use kubectl exec instead.',
      install: 'RUN installs an SSH server into the image. Remove it and use kubectl exec or az container exec for a shell.',
      daemon: '{instruction} starts an SSH daemon in the container. Remove it and use kubectl exec or az container exec for a shell.',
    },
  },
  check(file, ctx) {
    if (!isDockerFile(file)) return;
    for (const ins of file.model.ast.getInstructions()) {
      const keyword = ins.getKeyword();
      if (keyword === 'EXPOSE') {
        for (const arg of ins.getArguments()) {
          if (/^22(\/tcp)?$/i.test(arg.getValue())) ctx.report({ messageId: 'expose', at: dfRange(arg.getRange()), identity: 'EXPOSE 22' });
        }
        continue;
      }
      if (keyword !== 'RUN' && keyword !== 'CMD' && keyword !== 'ENTRYPOINT') continue;
      const t = instructionText(file, ins);
      if (!t || !/ssh|dropbear/.test(t.text)) continue;
      if (keyword === 'RUN') {
        INSTALL.lastIndex = 0;
        const m = INSTALL.exec(t.text);
        if (m) {
          const from = m.index + m[0].length - m[1]!.length;
          ctx.report({ messageId: 'install', at: textRange(file, t, from, from + m[1]!.length), identity: 'RUN install ssh server' });
          continue;
        }
      }
      // A daemon started in RUN dies with the build step; what runs is CMD's and ENTRYPOINT's.
      if (keyword === 'RUN') continue;
      DAEMON.lastIndex = 0;
      const d = DAEMON.exec(t.text);
      if (!d) continue;
      ctx.report({
        messageId: 'daemon',
        data: { instruction: keyword },
        at: textRange(file, t, d.index, d.index + d[0].length),
        identity: `${keyword} sshd`,
      });
    }
  },
};
