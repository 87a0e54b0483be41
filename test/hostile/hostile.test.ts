/**
 * Hostile and broken input. Every case is scanned next to a control pod: the case must give
 * exactly the findings listed (file, rule, message id, line, column, message text), the control
 * pod must keep its findings, and the scan must stay within its memory budget (the heap is
 * sampled after every file checked, see support.ts). Work is bounded by counts (files checked,
 * regex steps), never by the clock: the machine is shared.
 */
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { Instruction } from 'dockerfile-ast';
import { scan } from '../../src/engine.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { parseYaml } from '../../src/parse/yaml.js';
import { sarifText } from '../../src/report/sarif.js';
import { toText } from '../../src/report/text.js';
import { onlyRulesYaml } from '../helpers/rules.js';
import { stepGrowth } from '../helpers/regex-steps.js';
import { CONTROL_RULES, CONTROL_POD, brief, expectControlIntact, findingsOf, makeRepo, measuredScan } from './support.js';

const POD = (name: string, extra = ''): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n${extra}`;

/** A billion-laughs document: ten levels of nine-fold aliases (3.4 billion nodes if expanded). */
function aliasBomb(): string {
  let s =
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  for (let i = 1; i < 10; i++) {
    const name = String.fromCharCode(97 + i);
    const prev = String.fromCharCode(96 + i);
    s += `  ${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
  }
  return s;
}

/** One expected finding: [file, rule, message id, line, column], plus a message fragment. */
type Expected = [string, string, string, number, number, string];

interface Case {
  name: string;
  files: Record<string, string | Uint8Array>;
  expected: Expected[];
  config?: Record<string, unknown>;
  /** Kinds that must have been counted as scanned (beyond the control pod). */
  scanned?: Partial<Record<'kubernetes' | 'dockerfile', number>>;
}

const MB = 1024 * 1024;
const deepFlow = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`;
const deepCompact = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  ${'- '.repeat(10_000)}x\n`;
const longLine = POD('long', `      args: ["${'x'.repeat(MB)}"]\n`);
const jsonOneLine = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'minified', annotations: { blob: 'y'.repeat(MB) } },
  spec: { containers: [{ name: 'c', image: 'nginx:1.27', securityContext: { privileged: true } }] },
});
const padded = POD('small', `      args: ["${'z'.repeat(1000)}"]\n`);
/** A Pod with an invalid UTF-8 sequence (0xC3 0x28) in a comment on line 4. */
const badUtf8 = Buffer.concat([
  Buffer.from('apiVersion: v1\nkind: Pod\nmetadata:\n# caf'),
  Buffer.from([0xc3, 0x28]),
  Buffer.from(`\n${POD('bad-utf8').split('\n').slice(3).join('\n')}`),
]);
/** A Dockerfile whose first RUN runs over `n` continuation lines, then an unclosed heredoc. */
const continued = (n: number): string =>
  `FROM alpine:3.20\nRUN echo start \\\n${'  && echo more \\\n'.repeat(n)}  && echo end\nRUN <<EOF\necho unclosed\n`;
const continuation = continued(10_000);

const CASES: Case[] = [
  {
    name: 'a YAML alias bomb is refused in bounded time, the rest of the scan stands',
    files: { 'bomb.yaml': aliasBomb() },
    expected: [['bomb.yaml', 'parse-error', 'syntax', 11, 9, 'expands to more than 2000000 nodes through aliases']],
  },
  {
    name: '10,000-deep flow nesting stops at the depth limit',
    files: { 'deep.yaml': deepFlow },
    expected: [['deep.yaml', 'parse-error', 'syntax', 5, 507, 'nesting exceeded maxDepth (500)']],
  },
  {
    name: '10,000-deep compact block nesting stops at the depth limit',
    files: { 'deep-compact.yaml': deepCompact },
    expected: [['deep-compact.yaml', 'parse-error', 'syntax', 6, 1003, 'nesting exceeded maxDepth (500)']],
  },
  {
    name: 'a 50 MB manifest is skipped by size with a finding that says why (stat only, never read)',
    files: {},
    expected: [['big.yaml', 'file-error', 'skipped', 1, 1, `over the maxFileBytes limit of ${5 * MB}`]],
  },
  {
    name: 'maxFileBytes is a setting: a small file over a lowered limit is skipped and says so',
    files: { 'small.yaml': padded },
    config: { maxFileBytes: 1024 },
    expected: [['small.yaml', 'file-error', 'skipped', 1, 1, `it is ${padded.length} bytes, over the maxFileBytes limit of 1024`]],
  },
  {
    name: 'a 1 MB single line keeps exact positions after it',
    files: { 'long.yaml': longLine, 'min.json': jsonOneLine },
    expected: [
      ['long.yaml', 'run-as-root', 'missing', 7, 7, 'Pod/long container "c"'],
      ['long.yaml', 'privileged-container', 'privileged', 10, 9, 'runs privileged'],
      ['min.json', 'run-as-root', 'missing', 1, jsonOneLine.indexOf('"name":"c"') + 1, 'Pod/minified'],
      ['min.json', 'privileged-container', 'privileged', 1, jsonOneLine.indexOf('"privileged"') + 1, 'runs privileged'],
    ],
  },
  {
    name: 'duplicate keys are reported and the last value wins, as in Kubernetes',
    files: { 'dup.yaml': POD('first').replace('  name: first\n', '  name: first\n  name: second\n') },
    expected: [
      ['dup.yaml', 'duplicate-key', 'duplicate', 5, 3, 'the key "name" appears more than once'],
      ['dup.yaml', 'run-as-root', 'missing', 8, 7, 'Pod/second'],
      ['dup.yaml', 'privileged-container', 'privileged', 11, 9, 'Pod/second'],
    ],
  },
  {
    name: 'tabs in indentation are a parse error at the tab',
    files: { 'tabs.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n' },
    expected: [['tabs.yaml', 'parse-error', 'syntax', 4, 1, 'tab characters must not be used in indentation']],
  },
  {
    name: 'unknown tags (!!python/object) are data, never constructed, and the manifest is still checked',
    files: {
      'tag.yaml': POD('tagged')
        .replace('metadata:\n', 'metadata: !!python/object:os.system\n')
        .replace('privileged: true', 'privileged: !!python/name:os.system true'),
    },
    expected: [
      ['tag.yaml', 'run-as-root', 'missing', 7, 7, 'Pod/tagged'],
      ['tag.yaml', 'privileged-container', 'privileged', 10, 9, 'runs privileged'],
    ],
  },
  {
    name: 'merge keys (<<) are applied: a merged privileged: true is found',
    files: {
      'merge.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: merged\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        <<: &sc { privileged: true }\n',
    },
    expected: [
      ['merge.yaml', 'run-as-root', 'missing', 7, 7, 'Pod/merged'],
      ['merge.yaml', 'privileged-container', 'privileged', 10, 19, 'runs privileged'],
    ],
  },
  {
    name: 'an anchor used in a later document is an error there; the first document is still checked',
    files: { 'anchors.yaml': `${POD('&n first')}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: *n\n` },
    expected: [
      ['anchors.yaml', 'run-as-root', 'missing', 7, 7, 'Pod/first'],
      ['anchors.yaml', 'privileged-container', 'privileged', 10, 9, 'runs privileged'],
      ['anchors.yaml', 'parse-error', 'syntax', 15, 11, 'unidentified alias (a plain value starting with'],
    ],
  },
  {
    name: 'empty documents, an empty file and a file of only --- are quiet',
    files: { 'empty.yaml': '', 'dashes.yaml': '---\n', 'many.yaml': `---\n---\n${POD('after-empty')}` },
    expected: [
      ['many.yaml', 'run-as-root', 'missing', 9, 7, 'Pod/after-empty'],
      ['many.yaml', 'privileged-container', 'privileged', 12, 9, 'runs privileged'],
    ],
  },
  {
    name: 'a Dockerfile of 10,000 continuation lines parses, and positions after it are exact',
    files: { 'cont/Dockerfile': continuation },
    expected: [['cont/Dockerfile', 'parse-error', 'dockerfile', 10_004, 5, 'the here-document <<EOF is never closed']],
    scanned: { dockerfile: 1 },
    // The work on it is counted below ('asks dockerfile-ast for the arguments ...').
  },
  {
    name: 'an unknown escape directive is a finding on the directive',
    files: { 'esc/Dockerfile': '# escape=%\nFROM alpine:3.20\n' },
    expected: [['esc/Dockerfile', 'parse-error', 'dockerfile', 1, 10, 'the escape directive must be a backslash or a backtick, not "%"']],
  },
  {
    name: 'NUL bytes in a Dockerfile and a binary file named Dockerfile are skipped with a finding',
    files: {
      'nul/Dockerfile': Buffer.from('FROM alpine:3.20\nRUN echo \0 oops\n'),
      'bin/Dockerfile': Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256),
    },
    expected: [
      ['bin/Dockerfile', 'file-error', 'skipped', 1, 1, 'it contains NUL bytes (a binary file)'],
      ['nul/Dockerfile', 'file-error', 'skipped', 1, 1, 'it contains NUL bytes (a binary file)'],
    ],
  },
  {
    name: 'invalid UTF-8 is reported at its line and the file is still checked',
    files: { 'bad.yaml': badUtf8 },
    expected: [
      ['bad.yaml', 'file-error', 'encoding', 4, 1, 'not valid UTF-8 (first bad byte on line 4)'],
      ['bad.yaml', 'run-as-root', 'missing', 8, 7, 'Pod/bad-utf8'],
      ['bad.yaml', 'privileged-container', 'privileged', 11, 9, 'runs privileged'],
    ],
  },
  {
    name: 'UTF-16 with a BOM (little and big endian) is decoded and checked',
    files: {
      'le.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(POD('le'), 'utf16le')]),
      'be.yaml': Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(POD('be'), 'utf16le').swap16()]),
    },
    expected: [
      ['be.yaml', 'run-as-root', 'missing', 7, 7, 'Pod/be'],
      ['be.yaml', 'privileged-container', 'privileged', 10, 9, 'runs privileged'],
      ['le.yaml', 'run-as-root', 'missing', 7, 7, 'Pod/le'],
      ['le.yaml', 'privileged-container', 'privileged', 10, 9, 'runs privileged'],
    ],
  },
  {
    name: 'names with spaces, newlines and non-ASCII are scanned and reported by their exact names',
    files: { 'with space/a b.yaml': POD('space'), 'new\nline.yaml': POD('newline'), 'ünï/çödé.yaml': POD('unicode') },
    expected: [
      ['new\nline.yaml', 'run-as-root', 'missing', 7, 7, 'Pod/newline'],
      ['new\nline.yaml', 'privileged-container', 'privileged', 10, 9, 'runs privileged'],
      ['with space/a b.yaml', 'run-as-root', 'missing', 7, 7, 'Pod/space'],
      ['with space/a b.yaml', 'privileged-container', 'privileged', 10, 9, 'runs privileged'],
      ['ünï/çödé.yaml', 'run-as-root', 'missing', 7, 7, 'Pod/unicode'],
      ['ünï/çödé.yaml', 'privileged-container', 'privileged', 10, 9, 'runs privileged'],
    ],
  },
];

async function runCase(c: Case, prepare?: (root: string) => void): Promise<void> {
  const root = makeRepo({ 'control/pod.yaml': CONTROL_POD, ...c.files });
  try {
    prepare?.(root);
    const m = await measuredScan({ root, ...(c.config ? { config: c.config } : {}) });
    const got = findingsOf(m.result).map((f) => [...brief(f), f.message]);
    const want = c.expected.map(([file, rule, id, line, col]) => [file, rule, id, line, col]);
    expect(got.map((g) => g.slice(0, 5))).toEqual(want);
    c.expected.forEach((e, i) => expect(got[i]![5]).toContain(e[5]));
    expectControlIntact(m.result);
    for (const [kind, n] of Object.entries(c.scanned ?? {})) expect(m.result.filesScanned[kind as 'dockerfile']).toBe(n);
    // The heap was sampled while the scan ran: after each file checked, not only at the end.
    expect(m.samples).toBe(m.filesChecked + 1);
    expect(m.filesChecked).toBeGreaterThanOrEqual(1);
    expect(m.peakHeapMB).toBeLessThan(768);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('hostile input: a clear finding, nothing lost', () => {
  for (const c of CASES) {
    if (c.name.startsWith('a 50 MB manifest')) {
      it(c.name, () =>
        runCase(c, (root) => {
          // 50 MB of a real manifest, written in the test so the repository stays small.
          const doc = POD('big', `      env:\n${'        - name: PAD\n          value: "0123456789abcdef0123456789abcdef"\n'.repeat(40)}`);
          const big = `${doc}---\n`.repeat(Math.ceil((50 * MB) / (doc.length + 4)));
          writeFileSync(join(root, 'big.yaml'), big);
        }),
      );
    } else {
      it(c.name, () => runCase(c));
    }
  }

  it('all cases in one repository: each file gives exactly its own findings', async () => {
    const files: Record<string, string | Uint8Array> = {};
    // The slow cases (50 MB, 10,000 continuation lines) have their own tests.
    const fast = CASES.filter((c) => !c.config && !c.name.startsWith('a 50 MB') && !c.name.includes('continuation'));
    for (const c of fast) Object.assign(files, c.files);
    const expected = fast.flatMap((c) => c.expected.map((e) => e.slice(0, 5)));
    const root = makeRepo({ 'control/pod.yaml': CONTROL_POD, ...files });
    try {
      const m = await measuredScan({ root });
      const got = findingsOf(m.result).map((f) => brief(f));
      const sort = (a: unknown[], b: unknown[]): number => JSON.stringify(a).localeCompare(JSON.stringify(b));
      expect([...got].sort(sort)).toEqual([...expected].sort(sort));
      expectControlIntact(m.result);
      expect(m.peakHeapMB).toBeLessThan(768);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('a Dockerfile of 10,000 continuation lines: work counted', () => {
  /**
   * The cost of one huge instruction is inside dockerfile-ast: every getRawArguments() call
   * rescans the whole instruction and builds one Argument per word. What podguard controls is
   * how often it asks, so count the calls per instruction and the Arguments built, with every
   * rule on: the calls must not grow with the instruction, and the Arguments built stay within
   * (calls x words in the file).
   */
  async function work(n: number): Promise<{ calls: Map<string, number>; built: number; words: number }> {
    const proto = Instruction.prototype as unknown as { getRawArguments: (this: Instruction) => unknown[] };
    const original = proto.getRawArguments;
    const calls = new Map<string, number>();
    let built = 0;
    proto.getRawArguments = function (this: Instruction): unknown[] {
      const args = original.call(this);
      const at = `${this.getKeyword()}@${this.getRange().start.line}`;
      calls.set(at, (calls.get(at) ?? 0) + 1);
      built += args.length;
      return args;
    };
    const text = continued(n);
    const root = makeRepo({ Dockerfile: text });
    try {
      // Rules given: the scan stays on this thread, where the counting prototype is.
      const result = await scan({ root, rules: ALL_RULES });
      expect(result.filesScanned.dockerfile).toBe(1);
    } finally {
      proto.getRawArguments = original;
      rmSync(root, { recursive: true, force: true });
    }
    return { calls, built, words: text.split(/\s+/).filter(Boolean).length };
  }

  it('asks dockerfile-ast for the arguments of each instruction a fixed number of times, however long it is', async () => {
    const small = await work(100);
    const large = await work(10_000);
    // Three instructions, each asked at least once (a renamed dockerfile-ast method would show here).
    expect([...large.calls.keys()].sort()).toEqual(['FROM@0', 'RUN@1', 'RUN@10003']);
    expect([small.calls.get('FROM@0'), small.calls.get('RUN@1'), small.calls.get('RUN@103')]).toEqual([
      large.calls.get('FROM@0'),
      large.calls.get('RUN@1'),
      large.calls.get('RUN@10003'),
    ]);
    for (const n of large.calls.values()) {
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(20);
    }
    const calls = Math.max(...large.calls.values());
    expect(large.words).toBeGreaterThan(30_000);
    expect(large.built).toBeLessThanOrEqual(calls * large.words);
  });
});

describe('large multi-document files', () => {
  it('a file over 1 MB is parsed document by document, keeping a leading %YAML directive with its document', async () => {
    const doc = POD('many', `      args: ["${'a'.repeat(2000)}"]\n`);
    const root = makeRepo({
      'control/pod.yaml': CONTROL_POD,
      'many.yaml': `%YAML 1.1\n# generated\n---\n${Array(600).fill(doc).join('---\n')}`,
    });
    try {
      const m = await measuredScan({ root });
      const found = findingsOf(m.result);
      expect(found.filter((f) => f.ruleId === 'parse-error')).toEqual([]);
      expect(found.filter((f) => f.ruleId === 'privileged-container').map((f) => f.range.start.line)).toEqual(
        Array.from({ length: 600 }, (_, i) => 3 + i * 12 + 10),
      );
      expectControlIntact(m.result);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('the prologue test stays linear on 600,000 CRLF blank lines (a file over 1 MB) followed by content', () => {
    // The work is in the module's prologue and document-marker patterns: their backtracking
    // steps must double, not quadruple, when the run of CRLF lines doubles.
    const source = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../src/parse/yaml.ts'), 'utf8');
    const patternOf = (name: string): RegExp => {
      const m = new RegExp(`const ${name} = /(.+)/([a-z]*);`).exec(source);
      if (!m) throw new Error(`${name} not found in src/parse/yaml.ts`);
      return new RegExp(m[1]!, m[2]);
    };
    for (const [name, tail] of [
      ['PROLOGUE', 'x: 1\n'],
      ['DOC_MARKER', 'x: 1\n---\n'],
    ] as const) {
      const g = stepGrowth(patternOf(name), '\r\n', 160, tail);
      expect([name, g.linear]).toEqual([name, true]);
    }
    // Counted first, so a super-linear pattern fails here instead of hanging the parse below.
    const text = `${'\r\n'.repeat(600_000)}x: 1\n---\ny: 2\n`;
    const parsed = parseYaml(text);
    expect(parsed.docs).toHaveLength(2);
    expect(parsed.problems).toEqual([]);
  });
});

describe('hostile file names in outputs', () => {
  it('a newline in a file name cannot forge a line of the text report; SARIF percent-encodes it', async () => {
    const root = makeRepo({ 'evil\n  1:1 note fake-rule forged.yaml': POD('evil') });
    try {
      const m = await measuredScan({ root });
      const text = toText(m.result);
      expect(text).toContain('evil\\n  1:1 note fake-rule forged.yaml');
      expect(text.split('\n').some((l) => l.startsWith('  1:1 note fake-rule'))).toBe(false);
      const uris = (
        JSON.parse(sarifText(m.result)) as {
          runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
        }
      ).runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
      expect(new Set(uris)).toEqual(new Set(['evil%0A%20%201%3A1%20note%20fake-rule%20forged.yaml']));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('hostile file systems', () => {
  it('a symlink loop is a finding; a link out of the root is never followed', async () => {
    const outside = makeRepo({ 'secret.yaml': POD('outside-the-root-sentinel'), 'dir/pod.yaml': POD('outside-dir-sentinel') });
    const c: Case = {
      name: 'links',
      files: {},
      expected: [
        ['loop-a.yaml', 'file-error', 'skipped', 1, 1, 'it is a symbolic link whose target does not exist (or a link loop)'],
        ['loop-b.yaml', 'file-error', 'skipped', 1, 1, 'it is a symbolic link whose target does not exist (or a link loop)'],
        ['out.yaml', 'file-error', 'skipped', 1, 1, 'a symbolic link to a file outside the scanned root, which podguard never follows'],
      ],
    };
    try {
      await runCase(c, (root) => {
        symlinkSync('loop-b.yaml', join(root, 'loop-a.yaml'));
        symlinkSync('loop-a.yaml', join(root, 'loop-b.yaml'));
        symlinkSync(join(outside, 'secret.yaml'), join(root, 'out.yaml'));
        symlinkSync(join(outside, 'dir'), join(root, 'linked-dir'));
        symlinkSync('..', join(root, 'control', 'up'));
      });
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('an unreadable file is a finding, not a crash (run without root rights, where chmod 000 is enforced)', () => {
    const root = makeRepo({
      'control/pod.yaml': CONTROL_POD,
      'locked.yaml': POD('locked'),
      '.podguard.yml': onlyRulesYaml(...CONTROL_RULES),
    });
    try {
      chmodSync(join(root, 'locked.yaml'), 0o000);
      chmodSync(root, 0o755);
      // Root reads any file whatever its mode, so as root the CLI runs as "nobody" to meet a real EACCES.
      const asRoot = process.getuid?.() === 0;
      const r = spawnSync(process.execPath, [join(process.cwd(), 'dist/cli.js'), 'scan', '.', '--format', 'json', '--fail-on', 'never'], {
        cwd: root,
        encoding: 'utf8',
        ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const out = JSON.parse(r.stdout) as { findings: { file: string; ruleId: string; message: string; line: number }[] };
      const locked = out.findings.filter((f) => f.file === 'locked.yaml');
      expect(locked.map((f) => [f.ruleId, f.line, f.message])).toEqual([
        ['file-error', 1, 'This file was not scanned: it could not be read (EACCES).'],
      ]);
      expect(out.findings.filter((f) => f.file === 'control/pod.yaml').map((f) => f.ruleId)).toEqual([
        'run-as-root',
        'privileged-container',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a directory of 100,000 files is walked in bounded time', async () => {
    const root = makeRepo({ 'control/pod.yaml': CONTROL_POD });
    try {
      const dir = join(root, 'vendor');
      mkdirSync(dir);
      // 98,000 files that are not ours (as in a vendored tree; touch makes them fast) and 2,000 manifests.
      const made = spawnSync('sh', ['-c', 'seq -f "f-%.0f.txt" 1 98000 | xargs touch'], { cwd: dir });
      expect(made.status).toBe(0);
      for (let i = 0; i < 2_000; i++)
        writeFileSync(join(dir, `cm-${i}.yaml`), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n`);
      const m = await measuredScan({ root });
      expect(findingsOf(m.result)).toEqual([]);
      expectControlIntact(m.result);
      expect(m.result.filesScanned.kubernetes).toBe(2_001);
      // Each manifest is checked once; none of the 98,000 other files reaches a parser.
      expect(m.filesChecked).toBe(2_001);
      expect(m.peakHeapMB).toBeLessThan(768);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
