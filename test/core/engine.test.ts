import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scan } from '../../src/engine.js';
import { ALL_RULES } from '../../src/rules/index.js';
import type { Rule } from '../../src/rule.js';
import { forEachContainer } from '../../src/rules/util.js';
import { settingsFromObject } from '../../src/config/load.js';
import { Collector } from '../../src/engine/collector.js';
import { checkPlan } from '../../src/engine/plan.js';
import { SystemFindings } from '../../src/engine/system-findings.js';
import { rule as fileError } from '../../src/rules/file-error.js';
import { rule as internalError } from '../../src/rules/internal-error.js';

const HERE_ENGINE = dirname(fileURLToPath(import.meta.url));

function repo(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-engine-'));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}

const pod = (name: string, privileged: boolean): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        privileged: ${privileged}\n`;

describe('engine', () => {
  it('classifies files and skips what is not ours without noise', async () => {
    const root = repo({
      'k8s/app.yaml': pod('a', true),
      'k8s/list.json': JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }],
      }),
      Dockerfile: 'FROM alpine:3.20\n',
      'svc/api.Dockerfile': 'FROM alpine:3.20\n',
      'compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n',
      'aci.yaml': 'apiVersion: 2021-10-01\ntype: Microsoft.ContainerInstance/containerGroups\nproperties: {}\n',
      '.github/workflows/ci.yml': 'on: push\njobs: {}\n',
      'chart/templates/dep.yaml': 'apiVersion: v1\nkind: Pod\n{{- if .Values.x }}\n',
      'chart/values.yaml': 'image: nginx\n',
      'chart/Chart.yaml': 'apiVersion: v2\nname: chart\nversion: 0.1.0\n',
      'kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n',
      'notes.yaml': 'just: data\n',
      'node_modules/x/pod.yaml': pod('nm', true),
    });
    const result = await scan({ root });
    expect(result.filesScanned).toEqual({ kubernetes: 2, dockerfile: 2, compose: 1, aci: 1 });
    expect(result.findings.filter((f) => f.ruleId === 'parse-error')).toEqual([]);
    expect(result.findings.map((f) => f.file)).not.toContain('node_modules/x/pod.yaml');
  });

  it('turns a throwing rule into an internal-error on that document and keeps every other finding', async () => {
    const boom: Rule = {
      meta: { ...ALL_RULES.find((r) => r.meta.id === 'privileged-container')!.meta, id: 'boom', messages: { x: 'x' } },
      check(file) {
        forEachContainer(file, (c) => {
          if (c.workload.object.name === 'bad') throw new TypeError('cannot read properties of undefined');
        });
      },
    };
    const root = repo({ 'pods.yaml': [pod('good', true), pod('bad', true), pod('also-good', true)].join('---\n') });
    const result = await scan({ root, rules: [...ALL_RULES, boom] });
    const internal = result.findings.filter((f) => f.ruleId === 'internal-error');
    expect(internal).toHaveLength(1);
    expect(internal[0]!.range.start.line).toBe(12);
    expect(internal[0]!.message).toContain('boom');
    expect(result.findings.filter((f) => f.ruleId === 'privileged-container')).toHaveLength(3);
  });

  it('reports a parse error at its line and still checks the other documents of the file', async () => {
    const root = repo({ 'pods.yaml': `${pod('one', true)}---\napiVersion: v1\nkind: Pod\nspec: [oops\n---\n${pod('three', true)}` });
    const result = await scan({ root });
    const parse = result.findings.filter((f) => f.ruleId === 'parse-error');
    expect(parse).toHaveLength(1);
    // The flow sequence opened on line 14 is still open when the document ends at line 15's `---`.
    expect(parse[0]!.range.start).toEqual({ line: 15, column: 1 });
    expect(result.findings.filter((f) => f.ruleId === 'privileged-container').map((f) => f.identity)).toEqual([
      'Pod/one container "c"',
      'Pod/three container "c"',
    ]);
  });

  it('reports files it cannot take instead of skipping them silently', async () => {
    const outside = repo({ 'secret.yaml': pod('outside', true) });
    const root = repo({
      'big.yaml': `# ${'x'.repeat(2000)}\n${pod('big', true)}`,
      Dockerfile: Buffer.from([0x46, 0x52, 0x00, 0x01, 0x02]),
      'latin1.yaml': Buffer.concat([Buffer.from(pod('l', true)), Buffer.from('# caf\xe9\n', 'latin1')]),
    });
    symlinkSync(join(outside, 'secret.yaml'), join(root, 'link.yaml'));
    const result = await scan({ root, config: { maxFileBytes: 1024 } });
    const errs = result.findings.filter((f) => f.ruleId === 'file-error').map((f) => `${f.file}: ${f.message}`);
    expect(errs).toEqual([
      expect.stringMatching(/^Dockerfile: .*NUL bytes/),
      expect.stringMatching(/^big\.yaml: .*over the maxFileBytes limit of 1024/),
      expect.stringMatching(/^latin1\.yaml: .*not valid UTF-8 \(first bad byte on line 11\)/),
      expect.stringMatching(/^link\.yaml: .*outside the scanned root/),
    ]);
    expect(result.findings.some((f) => f.file === 'latin1.yaml' && f.ruleId === 'privileged-container')).toBe(true);
  });

  it('reads UTF-16 with a BOM and UTF-8 with a BOM', async () => {
    const text = pod('u16', true);
    const root = repo({
      'u16.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      'bom.yaml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
    });
    const result = await scan({ root });
    expect(
      result.findings
        .filter((f) => f.ruleId === 'privileged-container')
        .map((f) => `${f.file}:${f.range.start.line}:${f.range.start.column}`),
    ).toEqual(['bom.yaml:10:9', 'u16.yaml:10:9']);
  });

  it('reads YAML 1.1 booleans as Kubernetes does and reports duplicate keys', async () => {
    const root = repo({
      'p.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    securityContext:\n      privileged: false\n      privileged: On\n',
    });
    const result = await scan({ root });
    // Only the rules this test is about: other workload rules also fire on this bare pod.
    const about = new Set(['run-as-root', 'privileged-container', 'duplicate-key']);
    expect(result.findings.filter((f) => about.has(f.ruleId)).map((f) => `${f.ruleId}@${f.range.start.line}`)).toEqual([
      'run-as-root@6',
      'privileged-container@9',
      'duplicate-key@9',
    ]);
  });
});

describe('parse errors at a securityContext', () => {
  it('say where the block has to line up (the AKS article example)', async () => {
    const text = readFileSync(join(HERE_ENGINE, '..', 'rules', 'parse-error', 'invalid', 'aks-article-securitycontext.yaml'), 'utf8');
    const result = await scan({ root: repo({ 'pod.yaml': text }) });
    const found = result.findings.filter((f) => f.ruleId === 'parse-error');
    expect(found.map((f) => `${f.range.start.line}:${f.range.start.column}`)).toEqual(['10:5']);
    expect(found[0]!.message).toContain("must line up with that container's name: and image: keys");
  });
});

describe('engine at scale', () => {
  it('keeps and prints more findings than a function call can take arguments (no spread of the findings)', async () => {
    // 300,000 findings: `array.push(...findings)` or `Math.max(...findings.map(...))` overflow the stack here.
    const MANY = 300_000;
    const many: Rule = {
      meta: { ...ALL_RULES.find((r) => r.meta.id === 'privileged-container')!.meta, id: 'many-findings', messages: { one: 'finding {n}' } },
      check(file, ctx) {
        const at = file.source.lines.range(0, 1);
        for (let n = 0; n < MANY; n++) ctx.report({ messageId: 'one', data: { n }, at, identity: `i${n}` });
      },
    };
    const root = repo({ 'pod.yaml': pod('p', false) });
    const result = await scan({ root, rules: [many, ...ALL_RULES.filter((r) => r.meta.system)] });
    expect(result.findings.filter((f) => f.ruleId === 'many-findings')).toHaveLength(MANY);
    const { toText } = await import('../../src/report/text.js');
    expect(
      toText(result)
        .split('\n')
        .filter((l) => l.includes('many-findings')).length,
    ).toBeGreaterThanOrEqual(MANY);
  }, 120_000);
});

describe('levels from the plan', () => {
  // compose `user: root` is reported at warning by run-as-root, an error-level rule.
  const composeRoot = (): string => repo({ 'compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n    user: root\n' });
  const levelOf = async (config: unknown): Promise<string[]> =>
    (await scan({ root: composeRoot(), config })).findings.filter((f) => f.messageId === 'composeRoot').map((f) => f.level);

  it("keeps a report's own level when the user configured none", async () => {
    expect(await levelOf({})).toEqual(['warning']);
  });

  it('gives a configured level to every report of the rule, the default level too', async () => {
    expect(await levelOf({ rules: { 'run-as-root': 'note' } })).toEqual(['note']);
    // Configured at its default level: before the plan said what was configured, this stayed a warning.
    expect(await levelOf({ rules: { 'run-as-root': 'error' } })).toEqual(['error']);
  });

  it('plans the default and the configured level of every rule', () => {
    const settings = settingsFromObject({ rules: { 'run-as-root': 'error', 'image-tag': 'off' } }, ALL_RULES, 'test');
    const plan = checkPlan({ settings, rules: ALL_RULES }, { partial: false });
    expect(plan.rules.find((r) => r.id === 'run-as-root')).toMatchObject({ level: 'error', defaultLevel: 'error', configured: 'error' });
    expect(plan.rules.find((r) => r.id === 'host-port')).toMatchObject({ level: 'warning', defaultLevel: 'warning' });
    expect(plan.rules.find((r) => r.id === 'host-port')!.configured).toBeUndefined();
    // `image-tag: off` also turns off image-digest, split out of it (a former id).
    expect(plan.rules.filter((r) => r.id === 'image-tag' || r.id === 'image-digest')).toEqual([]);
    expect(plan.system['file-error']).toEqual({ level: 'warning', defaultLevel: 'warning' });
  });
});

describe('the door for engine findings', () => {
  it('reports a message of the rule, with its data, at the start of a file named by path', () => {
    const out = new Collector();
    const system = new SystemFindings({ system: { 'file-error': { level: 'warning', defaultLevel: 'warning' } } }, out);
    system.report({ rule: fileError, message: 'skipped', file: 'a.yaml', data: { reason: 'it is too large' } });
    expect(out.findings).toMatchObject([
      {
        ruleId: 'file-error',
        messageId: 'skipped',
        level: 'warning',
        file: 'a.yaml',
        message: 'This file was not scanned: it is too large.',
      },
    ]);
    expect(out.findings[0]!.range).toEqual({ start: { line: 1, column: 1 }, end: { line: 1, column: 1 } });
  });

  it('does not compile a message id the rule does not have, or a message without its data', () => {
    const out = new Collector();
    const system = new SystemFindings({ system: { 'file-error': { level: 'warning', defaultLevel: 'warning' } } }, out);
    // @ts-expect-error file-error has no message "missing"
    expect(() => system.report({ rule: fileError, message: 'missing', file: 'a.yaml', data: {} })).toThrow(/unknown message id/);
    // @ts-expect-error "skipped" needs its {reason}
    system.report({ rule: fileError, message: 'skipped', file: 'a.yaml', data: {} });
    // Off in the plan (or not registered): nothing is reported.
    system.report({ rule: internalError, message: 'parser', file: 'a.yaml', data: { error: 'x' } });
    expect(out.findings.map((f) => f.ruleId)).toEqual(['file-error']);
  });
});
