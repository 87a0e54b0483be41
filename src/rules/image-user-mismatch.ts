import { posix } from 'node:path';
import type { CrossFileRule } from '../rule.js';
import { asBool, asMap, asText, get } from '../parse/yaml.js';
import { effective } from '../parse/workloads.js';
import type { SourceFile } from '../parse/source.js';
import { composeServices } from '../parse/services.js';
import { parseReference } from '../image/reference.js';
import { finalUser } from '../image/user.js';
import type { FinalUser } from '../image/user.js';
import type { Range } from '../types.js';
import { forEachContainer, place, spot } from './util.js';
import type { Spot } from './util.js';
import { detached } from '../parse/source.js';

interface DockerfileSeen {
  file: SourceFile;
  /** The final user without its stage (the stage would keep the whole Dockerfile alive). */
  user: Omit<FinalUser, 'stage'>;
}
interface BuildHint {
  /** Normalised image name the compose service tags its build with. */
  name: string;
  /** Repository-relative path of the Dockerfile it builds. */
  dockerfile: string;
}
interface ContainerSeen extends Spot {
  label: string;
  image: string;
  name: string;
}
interface State {
  dockerfiles: DockerfileSeen[];
  hints: BuildHint[];
  containers: ContainerSeen[];
}

/** Dockerfile names that say which image they build: `web/Dockerfile`, `web.Dockerfile`, `Dockerfile.web`. */
function builtNames(path: string): string[] {
  const base = posix.basename(path).toLowerCase();
  const dir = posix.basename(posix.dirname(path)).toLowerCase();
  const names: string[] = [];
  if (base === 'dockerfile' || base === 'containerfile') {
    if (dir && dir !== '.') names.push(dir);
  } else {
    const m = /^(.+)\.(?:dockerfile|containerfile)$/.exec(base) ?? /^(?:dockerfile|containerfile)\.(.+)$/.exec(base);
    if (m) names.push(m[1]!);
  }
  return names;
}

/** A manifest that demands a non-root user it cannot verify, for an image built here with a named USER. */
export const rule: CrossFileRule<State> = {
  meta: {
    id: 'image-user-mismatch',
    title: 'runAsNonRoot with an image whose user is a name',
    level: 'note',
    securitySeverity: 3.5,
    precision: 'medium',
    description:
      'A manifest sets runAsNonRoot: true without runAsUser, and its image is built in this repository by a Dockerfile whose final USER is a name, not a UID (or is root): the pod will not start.',
    why: 'With `runAsNonRoot: true` the kubelet must prove the image user is not root. It can only do that for a numeric UID; for a named user (`USER app`) it refuses to start the container ("image has non-numeric user (app), cannot verify user is non-root", CreateContainerConfigError). Both files look fine alone; together they fail at deploy time. The AKS pod security practice asks for a defined non-root user ([Best practices for pod security in Azure Kubernetes Service (AKS)](https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security)).',
    fix: 'Make the user numeric in the Dockerfile, or name the UID in the manifest:\n\n```dockerfile\nUSER 10001\n```\n\n```yaml\nsecurityContext:\n  runAsNonRoot: true\n  runAsUser: 10001\n```',
    tags: ['correctness', 'pod-security', 'cross-file'],
    kinds: ['kubernetes', 'dockerfile', 'compose'],
    messages: {
      manifest:
        '{container} sets runAsNonRoot: true without runAsUser, but its image {image} is built by {dockerfile}, whose final USER is the name "{user}": the kubelet cannot verify a name and the pod will not start. Set runAsUser to the UID, or use USER <uid> in {dockerfile}.',
      rootImage:
        '{container} sets runAsNonRoot: true, but its image {image} is built by {dockerfile}, which runs as root ({how}): the kubelet will refuse to start the container. End {dockerfile} with a non-root USER <uid>.',
      dockerfile:
        'The final USER "{user}" is a name, and {container} ({manifest}) runs this image with runAsNonRoot: true and no runAsUser: the pod will not start. Use the numeric UID, e.g. USER 10001.',
    },
  },
  initialState: () => ({ dockerfiles: [], hints: [], containers: [] }),
  check(file, ctx) {
    const s = ctx.crossFile;
    if (file.kind === 'dockerfile') {
      const user = finalUser(file.model);
      if (user)
        s.dockerfiles.push({
          file: detached(file.source),
          user: { kind: user.kind, user: user.user, range: user.range, scratch: user.scratch },
        });
      return;
    }
    if (file.kind === 'compose') {
      for (const svc of composeServices(file)) {
        const image = asText(svc.image);
        const build = get(svc.node, 'build');
        if (!image || !build) continue;
        const ref = parseReference(image);
        const context = asText(build) ?? asText(get(asMap(build), 'context')) ?? '.';
        const dockerfile = asText(get(asMap(build), 'dockerfile')) ?? 'Dockerfile';
        // Remote contexts (git URLs) and absolute paths are not files of this repository.
        if (!ref.ok || /^[a-z]+:\/\//i.test(context) || context.startsWith('/') || context.includes('$')) continue;
        const path = posix.normalize(posix.join(posix.dirname(file.source.path), context, dockerfile));
        s.hints.push({ name: ref.name, dockerfile: path });
      }
      return;
    }
    forEachContainer(file, (c) => {
      const nonRoot = effective(c, 'runAsNonRoot');
      if (!nonRoot || asBool(nonRoot.node) !== true || effective(c, 'runAsUser')) return;
      const image = asText(c.image);
      const ref = image ? parseReference(image) : undefined;
      if (!image || !ref?.ok) return;
      s.containers.push({ ...spot(file.source, nonRoot.pair), label: c.label, image, name: ref.name });
    });
  },
  finish(ctx) {
    const s = ctx.crossFile;
    const byPath = new Map(s.dockerfiles.map((d) => [d.file.path, d]));
    const byName = new Map<string, DockerfileSeen[]>();
    for (const d of s.dockerfiles) {
      for (const n of builtNames(d.file.path)) byName.set(n, [...(byName.get(n) ?? []), d]);
    }
    const hintsByName = new Map<string, string[]>();
    for (const h of s.hints) hintsByName.set(h.name, [...(hintsByName.get(h.name) ?? []), h.dockerfile]);
    const reportedDockerfiles = new Set<string>();
    for (const c of s.containers) {
      // A compose build hint is certain; the directory or file name is a match only when unique.
      const hinted = [...new Set(hintsByName.get(c.name) ?? [])];
      let candidates = hinted.map((p) => byPath.get(p)).filter((d): d is DockerfileSeen => d !== undefined);
      if (hinted.length === 0) candidates = byName.get(c.name.split('/').pop()!) ?? [];
      if (candidates.length !== 1) continue;
      const d = candidates[0]!;
      // Only what certainly fails: an explicit root USER, or scratch with no USER (a base image
      // without USER may still set a non-root default, so that stays silent here).
      if (d.user.kind === 'root' || (d.user.kind === 'default' && d.user.scratch)) {
        ctx.report({
          ...place(c),
          messageId: 'rootImage',
          data: {
            container: c.label,
            image: c.image,
            dockerfile: d.file.path,
            how: d.user.user ? `USER ${d.user.user}` : 'FROM scratch without USER',
          },
          identity: c.label,
          value: d.file.path,
        });
        continue;
      }
      if (d.user.kind !== 'named' || d.user.scratch) continue;
      const user = (d.user.user ?? '').split(':')[0]!;
      ctx.report({
        ...place(c),
        messageId: 'manifest',
        data: { container: c.label, image: c.image, dockerfile: d.file.path, user },
        identity: c.label,
        value: d.file.path,
      });
      if (reportedDockerfiles.has(d.file.path)) continue;
      reportedDockerfiles.add(d.file.path);
      const range: Range = d.user.range;
      ctx.report({
        file: d.file,
        messageId: 'dockerfile',
        data: { user, container: c.label, manifest: c.path },
        at: range,
        identity: 'final stage user',
        value: c.path,
      });
    }
  },
};
