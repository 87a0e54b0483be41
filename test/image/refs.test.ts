/** forEachImageRef: every place an image is named, in every format, with its position. */
import { parseFile } from '../../src/parse/index.js';
import type { NameKind } from '../../src/parse/index.js';
import { sourceFile } from '../../src/parse/source.js';
import { rangeOf } from '../../src/engine.js';
import { forEachImageRef } from '../../src/image/refs.js';

function refs(path: string, kind: Exclude<NameKind, undefined>, text: string): string[] {
  const src = sourceFile(`/x/${path}`, path, text);
  const file = parseFile(src, kind)!;
  return [...forEachImageRef(file)].map((r) => {
    const at = rangeOf(src, r.at).start;
    const state = r.unresolvedVar ? `unresolved ${r.unresolvedVar}` : r.ref?.ok ? r.ref.name : 'invalid';
    return `${r.source} ${at.line}:${at.column} ${r.text} -> ${state}`;
  });
}

describe('forEachImageRef', () => {
  it('finds FROM, COPY --from and RUN --mount from images, not stages, scratch or indexes', () => {
    const text = [
      'ARG BASE=alpine:3.20',
      'FROM --platform=$BUILDPLATFORM ${BASE:-busybox} AS build',
      'ARG TOOLS=ghcr.io/org/tools:1',
      'COPY --from=${TOOLS} /t /t',
      'FROM build AS test',
      'FROM scratch',
      'COPY --from=build /a /a',
      'COPY --from=0 /b /b',
      'COPY --from=nginx:1.27 /c /c',
      'RUN --mount=type=bind,from=localhost:5000/x:2,target=/m --mount=type=cache,target=/c true',
      'RUN --mount=from=TEST,target=/t true',
      'FROM ${MISSING}/app:1',
    ].join('\n');
    expect(refs('Dockerfile', 'dockerfile', text)).toEqual([
      'from 2:32 alpine:3.20 -> docker.io/library/alpine',
      'copy-from 4:13 ghcr.io/org/tools:1 -> ghcr.io/org/tools',
      'copy-from 9:13 nginx:1.27 -> docker.io/library/nginx',
      'mount-from 10:28 localhost:5000/x:2 -> localhost:5000/x',
      'from 12:6 ${MISSING}/app:1 -> unresolved MISSING',
    ]);
  });

  it('finds Kubernetes, compose and ACI images', () => {
    const k8s =
      'apiVersion: batch/v1\nkind: Job\nmetadata: { name: j }\nspec:\n  template:\n    spec:\n      initContainers: [{ name: i, image: "user/app" }]\n      containers:\n        - name: c\n          image: mcr.microsoft.com/dotnet/runtime:8.0\n';
    expect(refs('job.yaml', 'yaml', k8s)).toEqual([
      'kubernetes 7:42 user/app -> docker.io/user/app',
      'kubernetes 10:18 mcr.microsoft.com/dotnet/runtime:8.0 -> mcr.microsoft.com/dotnet/runtime',
    ]);
    const compose = 'services:\n  a:\n    image: ${REG:-myregistry.azurecr.io}/a:1\n  b:\n    build: .\n';
    expect(refs('compose.yaml', 'compose', compose)).toEqual(['compose 3:12 myregistry.azurecr.io/a:1 -> myregistry.azurecr.io/a']);
    const aci =
      'type: Microsoft.ContainerInstance/containerGroups\nname: g\nproperties:\n  containers:\n    - name: w\n      properties:\n        image: nginx\n';
    expect(refs('aci.yaml', 'yaml', aci)).toEqual(['aci 7:16 nginx -> docker.io/library/nginx']);
  });
});

describe('forEachImageRef when the reader breaks', () => {
  it('yields the references ahead of the failure, then throws, to every caller', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: { name: p }',
      'spec:',
      '  containers:',
      '    - { name: a, image: nginx:1.27 }',
      '    - { name: b, image: redis:7 }',
    ].join('\n');
    const src = sourceFile('/x/pod.yaml', 'pod.yaml', text);
    const file = parseFile(src, 'yaml')!;
    if (file.kind !== 'kubernetes') throw new Error(`parsed as ${file.kind}`);
    // The second container's node breaks the reader (a stand-in for a bug in a format reader).
    const second = file.workloads[0]!.containers[1]!;
    Object.defineProperty(second, 'node', {
      get() {
        throw new Error('reader broke');
      },
    });
    for (let call = 0; call < 2; call++) {
      const seen: string[] = [];
      expect(() => {
        for (const r of forEachImageRef(file)) seen.push(r.text);
      }).toThrow('reader broke');
      expect(seen).toEqual(['nginx:1.27']);
    }
  });

  it('reads a file once: every caller gets the same references', () => {
    const src = sourceFile('/x/Dockerfile', 'Dockerfile', 'FROM alpine:3.20\nFROM nginx:1.27\n');
    const file = parseFile(src, 'dockerfile')!;
    const first = forEachImageRef(file);
    expect(forEachImageRef(file)).toBe(first);
    expect([...first].map((r) => r.text)).toEqual(['alpine:3.20', 'nginx:1.27']);
  });
});
