/**
 * Property-based fuzzing of the whole engine: random and mutated manifests, compose files and
 * Dockerfiles are written to disk and scanned. No exception may escape, no rule may crash
 * (internal-error), and every finding must point inside its file.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { scan } from '../../src/engine.js';
import { LineIndex } from '../../src/parse/positions.js';
import { decode } from '../../src/parse/source.js';
import type { Finding } from '../../src/types.js';
import { makeRepo } from './support.js';

/** Characters that matter to YAML and Dockerfile syntax, plus encodings' trouble-makers. */
const SYNTAX = [
  ':',
  '-',
  ' ',
  '  ',
  '\n',
  '\r\n',
  '\t',
  '&a',
  '*a',
  '!!',
  '!x',
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  '#',
  '|',
  '>',
  '%',
  '@',
  '`',
  '\\',
  '<<',
  '---',
  '...',
  '\uFEFF',
  'é',
  '😀',
  '\0',
  '\u2028',
  '$',
  '${X',
  '<<EOF',
];

const scalar = fc.oneof(
  fc.constantFrom('true', 'false', 'yes', 'on', '0', '-1', '1e3', '~', 'null', '', '0o17', '"true"', "'x'"),
  fc.string({ maxLength: 12 }),
);
const securityContext = fc.record(
  {
    privileged: scalar,
    runAsNonRoot: scalar,
    runAsUser: scalar,
    allowPrivilegeEscalation: scalar,
    capabilities: fc.constant('{ add: [ALL] }'),
  },
  { requiredKeys: [] },
);
const container = fc.record({ name: scalar, image: scalar, securityContext }, { requiredKeys: ['name'] });
const KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet', 'ConfigMap', 'List'];

function yamlOf(kind: string, name: string, containers: Record<string, unknown>[], initContainers: Record<string, unknown>[]): string {
  const list = (items: Record<string, unknown>[], indent: string): string =>
    items
      .map((c) =>
        Object.entries(c)
          .map(([k, v], i) => {
            const lead = i === 0 ? `${indent}- ` : `${indent}  `;
            if (v && typeof v === 'object')
              return `${lead}${k}:\n${Object.entries(v)
                .map(([sk, sv]) => `${indent}    ${sk}: ${String(sv)}`)
                .join('\n')}`;
            return `${lead}${k}: ${String(v)}`;
          })
          .join('\n'),
      )
      .join('\n');
  const pod = `containers:\n${list(containers, '  ')}\ninitContainers:\n${list(initContainers, '  ')}`;
  const indentBy = (text: string, n: number): string =>
    text
      .split('\n')
      .map((l) => ' '.repeat(n) + l)
      .join('\n');
  const spec =
    kind === 'Pod'
      ? `spec:\n${indentBy(pod, 2)}`
      : kind === 'CronJob'
        ? `spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n${indentBy(pod, 10)}`
        : `spec:\n  template:\n    spec:\n${indentBy(pod, 6)}`;
  return `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n${spec}\n`;
}

const manifest = fc
  .tuple(fc.constantFrom(...KINDS), scalar, fc.array(container, { maxLength: 3 }), fc.array(container, { maxLength: 2 }))
  .map(([k, n, cs, ics]) => yamlOf(k, n, cs, ics));
const manifests = fc.array(manifest, { minLength: 1, maxLength: 3 }).map((docs) => docs.join('---\n'));

/** Scalars that stay valid YAML (the mutations add the broken syntax). */
const plainScalar = fc.oneof(
  fc.constantFrom(
    'true',
    'false',
    'yes',
    'on',
    '0',
    '1000',
    '0:0',
    'root',
    '~',
    'null',
    '"true"',
    "'x'",
    'nginx:1.27',
    'mcr.microsoft.com/dotnet/aspnet:8.0',
  ),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,11}$/),
);
/** A compose file: services with the keys the compose rules read (privileged, user, caps, mounts...). */
const composeService = fc.record(
  {
    image: plainScalar,
    privileged: plainScalar,
    user: plainScalar,
    network_mode: fc.constantFrom('host', 'bridge', 'service:db', '""'),
    pid: fc.constantFrom('host', '""'),
    read_only: plainScalar,
    cap_add: fc.constantFrom('[ALL]', '[SYS_ADMIN, NET_RAW]', '[]', 'x'),
    cap_drop: fc.constantFrom('[ALL]', '[]'),
    security_opt: fc.constantFrom('[seccomp:unconfined]', '["no-new-privileges:true"]', '[apparmor=unconfined]', '{}'),
    volumes: fc.constantFrom('[/var/run/docker.sock:/var/run/docker.sock]', '["/:/host:ro"]', '[data:/data]', '[]'),
    ports: fc.constantFrom('["80:80"]', '["127.0.0.1:8080:80"]', '[22]'),
    environment: fc.constantFrom('{ DB_PASSWORD: "Zq9Lm2Xv7Rt4" }', '[API_KEY=abc123def456ghi7]', '{}', '[]'),
  },
  { requiredKeys: [] },
);
const compose = fc
  .tuple(fc.array(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/), composeService), { minLength: 1, maxLength: 3 }), fc.boolean())
  .map(
    ([services, versioned]) =>
      `${versioned ? "version: '3.8'\n" : ''}services:\n${services
        .map(
          ([name, svc]) =>
            `  ${name}:\n${
              Object.entries(svc)
                .map(([k, v]) => `    ${k}: ${String(v)}`)
                .join('\n') || '    image: app'
            }`,
        )
        .join('\n')}\n`,
  );

const INSTRUCTIONS = [
  'FROM',
  'RUN',
  'USER',
  'ARG',
  'ENV',
  'COPY',
  'ADD',
  'EXPOSE',
  'HEALTHCHECK',
  'ENTRYPOINT',
  'CMD',
  'WORKDIR',
  'ONBUILD',
  'SHELL',
];
const dockerfile = fc
  .array(
    fc.tuple(
      fc.constantFrom(...INSTRUCTIONS),
      fc.oneof(
        fc.string({ maxLength: 20 }),
        fc.constantFrom(
          'alpine:3.20 AS build',
          '${BASE:-ubuntu}',
          'root',
          '0:0',
          '<<EOF\nx\nEOF',
          '["a", "b"]',
          '--from=build / /',
          'x \\\n y',
        ),
      ),
    ),
    { maxLength: 8 },
  )
  .map((lines) => lines.map(([i, a]) => `${i} ${a}`).join('\n'));

/** Applies random insertions, deletions and replacements of syntax-laden text. */
const mutated = (base: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc
    .tuple(
      base,
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.oneof(fc.constantFrom(...SYNTAX), fc.string({ maxLength: 4 }))), { maxLength: 6 }),
    )
    .map(([text, edits]) => {
      let t = text;
      for (const [pos, del, ins] of edits) {
        const at = t.length ? pos % (t.length + 1) : 0;
        t = t.slice(0, at) + ins + t.slice(at + del);
      }
      return t;
    });

/** Asserts every finding lies inside the text of the file it names. */
function assertInside(root: string, f: Finding): void {
  const decoded = decode(readFileSync(join(root, f.file)));
  const text = decoded.ok ? decoded.text : '';
  const lines = new LineIndex(text);
  const { start, end } = f.range;
  const lineLength = (line: number): number => lines.lineEnd(line, text) - lines.lineStart(line);
  expect(start.line).toBeGreaterThanOrEqual(1);
  expect(end.line).toBeLessThanOrEqual(lines.lineCount);
  expect(start.column).toBeGreaterThanOrEqual(1);
  expect(start.column).toBeLessThanOrEqual(lineLength(start.line) + 1);
  expect(end.column).toBeLessThanOrEqual(lineLength(end.line) + 1);
  expect(end.line > start.line || (end.line === start.line && end.column >= start.column)).toBe(true);
  expect(f.message.length).toBeGreaterThan(0);
}

describe('fuzzing the whole engine', () => {
  const root = makeRepo();
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('random and mutated manifests, compose files and Dockerfiles: no exception, every finding inside its file', async () => {
    await fc.assert(
      fc.asyncProperty(
        mutated(manifests),
        mutated(dockerfile),
        mutated(compose),
        fc.string({ unit: 'binary', maxLength: 200 }),
        async (k8s, df, compose, noise) => {
          writeFileSync(join(root, 'app.yaml'), k8s);
          writeFileSync(join(root, 'Dockerfile'), df);
          writeFileSync(join(root, 'compose.yaml'), compose);
          writeFileSync(join(root, 'noise.yaml'), `apiVersion: v1\nkind: Pod\n${noise}`);
          const result = await scan({ root, config: {} });
          expect(result.findings.filter((f) => f.ruleId === 'internal-error').map((f) => f.message)).toEqual([]);
          for (const f of result.findings) assertInside(root, f);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('the compose generator makes compose files: unmutated samples are scanned as compose, without parse errors', async () => {
    const samples = fc.sample(compose, { numRuns: 200, seed: 7 });
    expect(samples.every((t) => /^(?:version: '3\.8'\n)?services:\n {2}[a-z]/.test(t))).toBe(true);
    const dir = makeRepo();
    try {
      let composeFiles = 0;
      for (const t of samples.slice(0, 40)) {
        writeFileSync(join(dir, 'compose.yaml'), t);
        const result = await scan({ root: dir, config: {} });
        composeFiles += result.filesScanned.compose;
        expect(result.findings.filter((f) => f.ruleId === 'parse-error' || f.ruleId === 'internal-error').map((f) => f.message)).toEqual(
          [],
        );
      }
      expect(composeFiles).toBe(40);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
