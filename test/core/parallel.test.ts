/**
 * Worker threads: a scan spread over threads must give exactly what one thread gives (findings,
 * cross-file verdicts, suppressions, redaction, byte-identical outputs), and a worker that fails
 * must cost no file.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeState } from '../../src/engine/merge.js';
import { scan } from '../../src/engine.js';
import type { ScanResult } from '../../src/engine.js';
import { jsonText } from '../../src/report/json.js';
import { sarifText } from '../../src/report/sarif.js';
import { toText } from '../../src/report/text.js';
import { toBatches } from '../../src/engine/threads.js';
import { plantRepository } from '../helpers/plant-repo.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const WORKER = join(ROOT, 'dist/worker.js');

function put(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

const workload = (name: string, ns: string, extra = ''): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  template:\n    spec:\n      serviceAccountName: quiet\n      containers:\n        - name: ${name}\n          image: ${name}:1.0\n          securityContext:\n            runAsNonRoot: true\n${extra}`;

/** A repository whose cross-file facts sit in files far apart, so they land in different batches. */
function corpus(): string {
  const root = mkdtempSync(join(tmpdir(), 'pg-parallel-'));
  plantRepository(join(root, 'secrets'));
  for (let i = 0; i < 24; i++) cpSync(join(ROOT, 'examples'), join(root, `copies/c${String(i).padStart(2, '0')}`), { recursive: true });
  // Read first: pods that rely on a ServiceAccount, an image built with a named USER, namespaces.
  put(root, 'a-apps/web.yaml', workload('web', 'shop'));
  put(root, 'a-apps/api.yaml', workload('api', 'billing'));
  put(
    root,
    'a-apps/ns.yaml',
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: billing\n',
  );
  put(
    root,
    'a-apps/suppressed.yaml',
    `# podguard-ignore-file image-tag -- pinned by the release process\n${workload('batch', 'shop', '            privileged: true # podguard-ignore privileged-container -- needs the GPU driver\n')}`,
  );
  put(root, 'a-apps/broken.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: [unclosed\n');
  put(root, 'a-apps/binary.yaml', '\0\0\0binary');
  // Read last: the facts that settle them.
  put(root, 'z-late/web/Dockerfile', 'FROM alpine:3.20\nRUN adduser -D app\nUSER app\n');
  put(
    root,
    'z-late/sa.yaml',
    'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: quiet\n  namespace: billing\nautomountServiceAccountToken: false\n',
  );
  put(
    root,
    'z-late/netpol.yaml',
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: block-imds\n  namespace: billing\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/0\n            except: [169.254.169.254/32]\n',
  );
  return root;
}

/** Everything a user can see of a scan. */
function outputs(r: ScanResult): Record<string, string> {
  return { json: jsonText(r), sarif: sarifText(r), text: toText(r, { color: false }) };
}

describe('scanning on worker threads', () => {
  let root: string;
  let one: ScanResult;
  beforeAll(async () => {
    expect(existsSync(WORKER)).toBe(true);
    root = corpus();
    one = await scan({ root, threads: 1, today: '2026-11-24' });
  }, 60_000);

  it('splits the test corpus into many batches (so the comparison below means something)', () => {
    expect(one.threads).toBe(1);
    const files = Object.values(one.filesScanned).reduce((a, b) => a + b, 0);
    expect(files).toBeGreaterThan(150);
    expect(toBatches(new Array(files).fill(null), 3).length).toBeGreaterThan(10);
  });

  it('gives exactly the findings and outputs of one thread', async () => {
    const many = await scan({ root, threads: 3, workerScript: WORKER, today: '2026-11-24' });
    expect(many.threads).toBe(3);
    expect(many.filesScanned).toEqual(one.filesScanned);
    expect(many.findings).toEqual(one.findings);
    expect(new Set(many.redactor.secrets)).toEqual(new Set(one.redactor.secrets));
    expect(outputs(many)).toEqual(outputs(one));
  }, 60_000);

  it('keeps cross-file verdicts whose facts were checked on other threads', () => {
    const about = (rule: string, file: string): string[] =>
      one.findings.filter((f) => f.ruleId === rule && f.file === file).map((f) => f.messageId);
    // The ServiceAccount in z-late opts billing's pods out; shop's pods still get the note.
    expect(about('service-account-token-automount', 'a-apps/api.yaml')).toEqual([]);
    expect(about('service-account-token-automount', 'a-apps/web.yaml')).toEqual(['missing']);
    // The Dockerfile in z-late/web builds the image a-apps/web.yaml runs with runAsNonRoot.
    expect(about('image-user-mismatch', 'a-apps/web.yaml')).toEqual(['manifest']);
    // billing's policy in z-late blocks IMDS; shop has none.
    const imds = one.findings.filter((f) => f.ruleId === 'imds-egress-not-blocked').map((f) => f.message);
    expect(imds.some((m) => m.includes('"shop"'))).toBe(true);
    expect(imds.some((m) => m.includes('"billing"'))).toBe(false);
    // Suppressions, file errors and secrets from the batches all arrive.
    expect(one.findings.filter((f) => f.file === 'a-apps/suppressed.yaml' && f.suppression).length).toBeGreaterThanOrEqual(2);
    expect(about('file-error', 'a-apps/binary.yaml')).toEqual(['skipped']);
    expect(about('parse-error', 'a-apps/broken.yaml')).toEqual(['syntax']);
    expect(one.redactor.secrets.length).toBeGreaterThan(50);
  });

  it('checks on this thread what a worker that cannot start never returns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-bad-worker-'));
    const crash = join(dir, 'worker.mjs');
    writeFileSync(crash, "throw new Error('this worker fails on start');\n");
    const r = await scan({ root, threads: 3, workerScript: crash, today: '2026-11-24' });
    expect(r.threads).toBe(1);
    expect(r.findings).toEqual(one.findings);
    expect(outputs(r)).toEqual(outputs(one));
  }, 60_000);

  it('checks on this thread what a worker that runs out of heap never returns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-oom-worker-'));
    const hog = join(dir, 'worker.mjs');
    // Workers run with a capped heap: this one exceeds it and dies mid-scan.
    writeFileSync(hog, 'const keep = [];\nfor (;;) keep.push(new Array(1e5).fill({ big: true }));\n');
    const r = await scan({ root, threads: 2, workerScript: hog, today: '2026-11-24' });
    expect(r.threads).toBe(1);
    expect(outputs(r)).toEqual(outputs(one));
  }, 60_000);

  it('stays on one thread for small scans and for custom rule objects', async () => {
    const small = mkdtempSync(join(tmpdir(), 'pg-small-'));
    cpSync(join(ROOT, 'examples'), small, { recursive: true });
    expect((await scan({ root: small, workerScript: WORKER })).threads).toBe(1);
    const { ALL_RULES } = await import('../../src/rules/index.js');
    expect((await scan({ root, rules: ALL_RULES, threads: 3, workerScript: WORKER, today: '2026-11-24' })).threads).toBe(1);
  }, 60_000);
});

describe('mergeState', () => {
  it('concatenates arrays, unites Sets, merges Maps and objects key by key, in order', () => {
    const a = new Map<string, unknown>([['s', { list: [1], seen: new Set(['x']), byNs: new Map([['ns1', { items: ['a'] }]]) }]]);
    const b = new Map<string, unknown>([
      [
        's',
        {
          list: [2, 3],
          seen: new Set(['y', 'x']),
          byNs: new Map([
            ['ns1', { items: ['b'] }],
            ['ns2', { items: ['c'] }],
          ]),
        },
      ],
      ['t', [9]],
    ]);
    mergeState(a, b);
    expect(a).toEqual(
      new Map<string, unknown>([
        [
          's',
          {
            list: [1, 2, 3],
            seen: new Set(['x', 'y']),
            byNs: new Map([
              ['ns1', { items: ['a', 'b'] }],
              ['ns2', { items: ['c'] }],
            ]),
          },
        ],
        ['t', [9]],
      ]),
    );
    expect([...(a.get('s') as { seen: Set<string> }).seen]).toEqual(['x', 'y']);
  });

  it('keeps equal scalars and refuses to guess between different ones', () => {
    expect(mergeState({ version: 1, name: 'a' }, { version: 1 })).toEqual({ version: 1, name: 'a' });
    expect(() => mergeState({ count: 1 }, { count: 2 })).toThrow(/cannot merge cross-file rule state at state.count/);
    expect(() => mergeState([1], new Set([2]))).toThrow(/only arrays, Sets, Maps and plain objects merge/);
  });
});
