/**
 * The suppression module's contract, pinned for mutation testing (issue #21): how a directive
 * is read (comment forms, scopes, annotations), which findings it covers and what is reported
 * about directives that do not do their job.
 */
import { parseFile } from '../../src/parse/index.js';
import type { ParsedFile } from '../../src/parse/index.js';
import { sourceFile } from '../../src/parse/source.js';
import { parseDirectiveBody, readDirectives } from '../../src/suppress/directives.js';
import type { Directive, DirectiveScope } from '../../src/suppress/directives.js';
import { SUPPRESSION_RULES, applySuppressions, covers } from '../../src/suppress/apply.js';
import type { SuppressOptions } from '../../src/suppress/apply.js';
import type { Finding, Range } from '../../src/types.js';

function parsed(name: string, text: string): ParsedFile {
  const file = parseFile(sourceFile(`/repo/${name}`, name, text), name.endsWith('Dockerfile') ? 'dockerfile' : 'yaml');
  if (!file) throw new Error(`${name} did not parse`);
  return file;
}

const directivesOf = (name: string, text: string): Directive[] => readDirectives(parsed(name, text));
const brief = (d: Directive): unknown => ({
  form: d.form,
  ruleIds: d.ruleIds,
  reason: d.reason,
  scope: d.scope,
  problems: d.problems.map((p) => p.messageId),
});

const at = (line: number, column = 1): Range => ({ start: { line, column }, end: { line, column: column + 1 } });

function finding(ruleId: string, line: number, over: Partial<Finding> = {}): Finding {
  return {
    ruleId,
    messageId: 'm',
    level: 'error',
    message: 'm',
    file: 'f.yaml',
    range: at(line, 5),
    identity: 'x',
    fingerprint: `${ruleId}${line}`,
    ...over,
  };
}

function directive(over: Partial<Directive>): Directive {
  return {
    form: 'comment',
    ruleIds: ['r'],
    reason: 'why',
    range: at(1),
    scope: { kind: 'file' },
    problems: [],
    text: 'podguard-ignore r -- why',
    ...over,
  };
}

const OPTS: SuppressOptions = {
  today: '2026-06-15',
  knownRules: new Set(['r', 's', 'privileged-container', 'run-as-root']),
  enabledRules: new Set(['r', 's', 'privileged-container']),
  reasonRequired: true,
};

describe('parseDirectiveBody', () => {
  it('reads ids (commas or spaces, first occurrence kept), until= and the reason', () => {
    expect(parseDirectiveBody(' a-b,c  c policy/my.pol-1 until=2026-02-28 --  the reason -- with dashes  ')).toEqual({
      ruleIds: ['a-b', 'c', 'policy/my.pol-1'],
      reason: 'the reason -- with dashes',
      until: '2026-02-28',
      problems: [],
    });
  });

  it('needs `--` to stand alone: glued dashes are a token', () => {
    expect(parseDirectiveBody('a --x')).toEqual({
      ruleIds: ['a'],
      reason: '',
      problems: [{ messageId: 'badToken', data: { token: '--x', hint: '' } }],
    });
    expect(parseDirectiveBody('a--b')).toMatchObject({ ruleIds: [], reason: '' });
    expect(parseDirectiveBody('-- reason first')).toEqual({
      ruleIds: [],
      reason: 'reason first',
      problems: [{ messageId: 'noRules', data: {} }],
    });
    expect(parseDirectiveBody('a --')).toEqual({ ruleIds: ['a'], reason: '', problems: [] });
    expect(parseDirectiveBody('a\t--\tr')).toEqual({ ruleIds: ['a'], reason: 'r', problems: [] });
  });

  it.each(['2026-02-29', '2026-13-01', '2026-00-10', '2026-1-01', '26-01-01', '2026-01-01x', 'x2026-01-01', '', 'tomorrow'])(
    'refuses until=%s',
    (value) => {
      expect(parseDirectiveBody(`a until=${value} -- r`)).toEqual({
        ruleIds: ['a'],
        reason: 'r',
        problems: [{ messageId: 'badDate', data: { value } }],
      });
    },
  );

  it('accepts a leap day', () => {
    expect(parseDirectiveBody('a until=2028-02-29').until).toBe('2028-02-29');
  });

  it('hints at the lower-case id, and only when lowering makes one', () => {
    expect(parseDirectiveBody('Privileged-Container').problems).toEqual([
      {
        messageId: 'badToken',
        data: { token: 'Privileged-Container', hint: ' (rule ids are lower case: did you mean "privileged-container"?)' },
      },
    ]);
    for (const token of ['a_b', '-a', 'a-', 'a--b', 'policy/', 'policy/-x', 'policy/x-', 'Policy/X.', 'x/y'])
      expect(parseDirectiveBody(`${token} -- r`).problems).toEqual([{ messageId: 'badToken', data: { token, hint: '' } }]);
    expect(parseDirectiveBody('policy/x -- r').ruleIds).toEqual(['policy/x']);
  });

  it('says no rules only when no token was a bad one', () => {
    expect(parseDirectiveBody('').problems).toEqual([{ messageId: 'noRules', data: {} }]);
    expect(parseDirectiveBody('until=2026-01-01 -- r').problems).toEqual([{ messageId: 'noRules', data: {} }]);
    expect(parseDirectiveBody('until=x').problems.map((p) => p.messageId)).toEqual(['badDate', 'noRules']);
    expect(parseDirectiveBody('X_').problems.map((p) => p.messageId)).toEqual(['badToken']);
  });
});

describe('readDirectives: comments', () => {
  it('reads own-line, end-of-line and file-wide comments in YAML, skipping comment lines to the target', () => {
    const text = [
      'apiVersion: v1', // 1
      'kind: Pod # podguard-ignore a -- trailing', // 2
      'metadata:', // 3
      '  #podguard-ignore b -- own line', // 4
      '  # another comment', // 5
      '    # and one more', // 6
      '  name: p', // 7
      '# podguard-ignore-file c -- whole file', // 8
      'spec: {}', // 9
    ].join('\n');
    const ds = directivesOf('p.yaml', text);
    expect(ds.map(brief)).toEqual([
      { form: 'comment', ruleIds: ['a'], reason: 'trailing', scope: { kind: 'lines', from: 2, to: 2 }, problems: [] },
      { form: 'comment', ruleIds: ['b'], reason: 'own line', scope: { kind: 'lines', from: 7, to: 7 }, problems: [] },
      { form: 'file comment', ruleIds: ['c'], reason: 'whole file', scope: { kind: 'file' }, problems: [] },
    ]);
    expect(ds.map((d) => [d.range, d.text])).toEqual([
      [{ start: { line: 2, column: 11 }, end: { line: 2, column: 42 } }, '# podguard-ignore a -- trailing'],
      [{ start: { line: 4, column: 3 }, end: { line: 4, column: 33 } }, '#podguard-ignore b -- own line'],
      [{ start: { line: 8, column: 1 }, end: { line: 8, column: 39 } }, '# podguard-ignore-file c -- whole file'],
    ]);
  });

  it('ignores look-alikes: a # inside a string, a longer word, a # glued to text', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: "p # podguard-ignore a -- in a string"',
      '  labels:',
      '    x: y # podguard-ignorex a -- longer word',
      '    z: w# podguard-ignore a -- glued',
      '    v: u # podguard-ignore-filex a -- longer',
      '    t: s #\tpodguard-ignore\ta -- tabs',
      'spec: {}',
    ].join('\n');
    expect(directivesOf('p.yaml', text).map((d) => [d.range.start.line, d.ruleIds])).toEqual([[9, ['a']]]);
  });

  it('keeps a # that starts a scalar-free line region and handles CRLF and CR line ends', () => {
    const crlf = 'apiVersion: v1\r\nkind: Pod\r\n# podguard-ignore a -- r\r\nmetadata:\r\n  name: p\r\n';
    expect(directivesOf('p.yaml', crlf).map((d) => d.scope)).toEqual([{ kind: 'lines', from: 4, to: 4 }]);
    const cr = 'apiVersion: v1\rkind: Pod\r# podguard-ignore a -- r\rmetadata:\r  name: p\r';
    expect(directivesOf('p.yaml', cr).map((d) => d.scope)).toEqual([{ kind: 'lines', from: 4, to: 4 }]);
  });

  it('covers a whole Dockerfile instruction across continuations and the comments inside it', () => {
    const text = [
      'FROM alpine:3.20', // 1
      '# podguard-ignore a -- r', // 2
      '# note', // 3
      'RUN one \\', // 4
      '  # dropped comment', // 5
      '  two \\  ', // 6
      '  three', // 7
      'USER root', // 8
    ].join('\n');
    expect(directivesOf('Dockerfile', text).map((d) => d.scope)).toEqual([{ kind: 'lines', from: 4, to: 7 }]);
    // The last line of the file ends the instruction even after a continuation.
    expect(directivesOf('Dockerfile', 'FROM a\n# podguard-ignore a -- r\nRUN x \\\n  y \\').map((d) => d.scope)).toEqual([
      { kind: 'lines', from: 3, to: 4 },
    ]);
  });

  it('reads a directive that ends its line with no rule named (and says so)', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p # podguard-ignore\n# podguard-ignore-file\nspec: {}\n';
    expect(directivesOf('p.yaml', text).map(brief)).toEqual([
      { form: 'comment', ruleIds: [], reason: '', scope: { kind: 'lines', from: 4, to: 4 }, problems: ['noRules'] },
      { form: 'file comment', ruleIds: [], reason: '', scope: { kind: 'file' }, problems: ['noRules'] },
    ]);
  });

  it('takes a line holding a setting and an end-of-line comment as the target, not as a comment line', () => {
    const text = [
      'apiVersion: v1', // 1
      'kind: Pod', // 2
      'metadata:', // 3
      '  name: p', // 4
      'spec:', // 5
      '  # podguard-ignore host-namespaces -- r', // 6
      '  hostNetwork: true # the node network', // 7
      '  containers: []', // 8
    ].join('\n');
    expect(directivesOf('p.yaml', text).map((d) => d.scope)).toEqual([{ kind: 'lines', from: 7, to: 7 }]);
    // In a Dockerfile, an instruction line with a # in it is not a comment line either.
    const docker = 'FROM a\n# podguard-ignore a -- r\nRUN one \\\n  two # not a comment\nUSER x\n';
    expect(directivesOf('Dockerfile', docker).map((d) => d.scope)).toEqual([{ kind: 'lines', from: 3, to: 4 }]);
  });

  it('reads no directive from a block scalar whose text starts with one', () => {
    // The second document is one literal block at the left margin: its first character is the #.
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec: {}\n--- |\n# podguard-ignore-file a -- r\n';
    expect(directivesOf('p.yaml', text)).toEqual([]);
  });

  it('follows the escape directive of a Dockerfile', () => {
    const text = '# escape=`\nFROM a\n# podguard-ignore a -- r\nRUN one `\n  two \\\n  three\nUSER x\n';
    expect(directivesOf('Dockerfile', text).map((d) => d.scope)).toEqual([{ kind: 'lines', from: 4, to: 5 }]);
    const spaced = '#  ESCAPE =  `\nFROM a\n# podguard-ignore a -- r\nRUN one `\n  two\nUSER x\n';
    expect(directivesOf('Dockerfile', spaced).map((d) => d.scope)).toEqual([{ kind: 'lines', from: 4, to: 5 }]);
    // `#escape=` inside an instruction is no parser directive: continuations stay `\`.
    const inside = 'FROM a\nLABEL note="#escape=`"\n# podguard-ignore a -- r\nRUN one \\\n  two\nUSER x\n';
    expect(directivesOf('Dockerfile', inside).map((d) => d.scope)).toEqual([{ kind: 'lines', from: 4, to: 5 }]);
    const plain = 'FROM a\n# podguard-ignore a -- r\nRUN one `\n  two\nUSER x\n';
    expect(directivesOf('Dockerfile', plain).map((d) => d.scope)).toEqual([{ kind: 'lines', from: 3, to: 3 }]);
  });

  it('refuses an end-of-line directive in a Dockerfile, which would be part of the instruction', () => {
    const ds = directivesOf('Dockerfile', 'FROM a\nRUN x # podguard-ignore a -- r\n');
    expect(ds.map(brief)).toEqual([
      { form: 'comment', ruleIds: ['a'], reason: 'r', scope: { kind: 'lines', from: 2, to: 2 }, problems: ['trailingDockerfile'] },
    ]);
    expect(ds[0]!.text).toBe('# podguard-ignore a -- r');
  });

  it('reads nothing from a file without the word', () => {
    expect(directivesOf('p.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p # podguard ignore a\n')).toEqual([]);
  });
});

describe('readDirectives: annotations', () => {
  const deployment = (objAnn: string, podAnn: string): string =>
    [
      'apiVersion: apps/v1', // 1
      'kind: Deployment', // 2
      'metadata:', // 3
      '  name: d', // 4
      `  annotations: {${objAnn}}`, // 5
      'spec:', // 6
      '  template:', // 7
      '    metadata:', // 8
      `      annotations: {${podAnn}}`, // 9
      '    spec:', // 10
      '      containers:', // 11
      '        - name: web', // 12
      '          image: a:1', // 13
      '        - name: side', // 14
      '          image: b:1', // 15
      '', // 16
    ].join('\n');

  it('reads the object and pod template annotations, each with its region', () => {
    const ds = directivesOf('d.yaml', deployment('"podguard.dev/ignore": "a -- obj", other: x', '"podguard.dev/ignore": "b -- pod"'));
    expect(ds.map((d) => [d.form, d.ruleIds, d.reason, d.text, d.range.start.line])).toEqual([
      ['annotation', ['a'], 'obj', 'podguard.dev/ignore: a -- obj', 5],
      ['annotation', ['b'], 'pod', 'podguard.dev/ignore: b -- pod', 9],
    ]);
    const regions = ds.map((d) => d.scope as Extract<DirectiveScope, { kind: 'region' }>);
    expect(regions[0]!.range.start.line).toBe(1);
    expect(regions[0]!.range.end.line).toBeGreaterThanOrEqual(15);
    expect(regions[1]!.range.start.line).toBe(9);
    expect(regions[1]!.range.end.line).toBeGreaterThanOrEqual(15);
    expect(regions.map((r) => r.containers)).toEqual([undefined, undefined]);
  });

  it('narrows podguard.dev/ignore.<name> to that container, and says when there is none', () => {
    const ds = directivesOf(
      'd.yaml',
      deployment('"podguard.dev/ignore.side": "a -- r", "podguard.dev/ignore.nope": "b -- r"', '"podguard.dev/ignorex": "c"'),
    );
    expect(ds.map((d) => [d.ruleIds, d.problems])).toEqual([
      [['a'], []],
      [['b'], [{ messageId: 'unknownContainer', data: { container: 'nope', object: 'Deployment/d' } }]],
    ]);
    const side = ds[0]!.scope as Extract<DirectiveScope, { kind: 'region' }>;
    expect(side.containers).toEqual([
      { range: expect.objectContaining({ start: expect.objectContaining({ line: 14 }) }), label: 'Deployment/d container "side"' },
    ]);
    expect((ds[1]!.scope as Extract<DirectiveScope, { kind: 'region' }>).containers).toEqual([]);
  });

  it('reads a Pod annotation once (the pod metadata is the object metadata), and an empty value as no rules', () => {
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    podguard.dev/ignore: ""\nspec:\n  containers:\n    - name: c\n      image: a:1\n';
    const ds = directivesOf('p.yaml', pod);
    expect(ds.map((d) => [d.text, d.problems.map((p) => p.messageId)])).toEqual([['podguard.dev/ignore: ', ['noRules']]]);
    expect(ds[0]!.range).toEqual({ start: { line: 6, column: 5 }, end: { line: 6, column: 27 } });
  });

  it('reads the pod template annotations of each workload of a file with several', () => {
    // Two Deployments (d, then e), each narrowing its own pod template's directive to a container.
    const first = deployment('', '"podguard.dev/ignore.web": "a -- first"');
    const second = deployment('', '"podguard.dev/ignore.side": "b -- second"').replace('name: d', 'name: e');
    const two = `${first}---\n${second}`;
    const ds = directivesOf('d.yaml', two);
    expect(
      ds.map((d) => [
        d.ruleIds,
        d.problems,
        (d.scope as Extract<DirectiveScope, { kind: 'region' }>).containers?.map((c) => [c.label, c.range.start.line]),
      ]),
    ).toEqual([
      [['a'], [], [['Deployment/d container "web"', 12]]],
      [['b'], [], [['Deployment/e container "side"', 30]]],
    ]);
  });

  it('takes the pod template region from the spec when it comes before the metadata, also on one line', () => {
    const block = [
      'apiVersion: apps/v1', // 1
      'kind: Deployment', // 2
      'metadata:', // 3
      '  name: d', // 4
      'spec:', // 5
      '  template:', // 6
      '    spec:', // 7
      '      containers:', // 8
      '        - name: web', // 9
      '          image: a:1', // 10
      '    metadata:', // 11
      '      annotations:', // 12
      '        podguard.dev/ignore: a -- r', // 13
      '', // 14
    ].join('\n');
    const region = (text: string): Range => (directivesOf('d.yaml', text)[0]!.scope as Extract<DirectiveScope, { kind: 'region' }>).range;
    expect(region(block)).toEqual({ start: { line: 8, column: 7 }, end: { line: 13, column: 36 } });
    // A spec written in flow style starts further right than the metadata below it: lines decide.
    const flowSpec = block.replace(
      '    spec:\n      containers:\n        - name: web\n          image: a:1',
      '    spec: {containers: [{name: web, image: "a:1"}]}',
    );
    expect(region(flowSpec).start).toEqual({ line: 7, column: 11 });
    const flow =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template: {spec: {containers: [{name: web, image: "a:1"}]}, metadata: {annotations: {podguard.dev/ignore: a -- r}}}\n';
    expect(region(flow)).toEqual({ start: { line: 5, column: 20 }, end: { line: 5, column: 115 } });
    // Pod metadata first on the same line: the region starts at the metadata.
    const flowMetaFirst =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template: {metadata: {annotations: {podguard.dev/ignore: a -- r}}, spec: {containers: [{name: web, image: "a:1"}]}}\n';
    expect(region(flowMetaFirst).start).toEqual({ line: 5, column: 24 });
  });

  it('reads an annotation whose value is no text as naming no rules', () => {
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    podguard.dev/ignore: {a: b}\n    podguard.dev/ignore.c: [x]\nspec:\n  containers:\n    - name: c\n      image: a:1\n';
    const ds = directivesOf('p.yaml', pod);
    expect(ds.map((d) => [d.text, d.problems.map((p) => p.messageId)])).toEqual([
      ['podguard.dev/ignore: ', ['noRules']],
      ['podguard.dev/ignore.c: ', ['noRules']],
    ]);
  });

  it('reads annotations only from Kubernetes files', () => {
    const compose = parseFile(
      sourceFile('/repo/compose.yaml', 'compose.yaml', 'services:\n  a:\n    labels:\n      podguard.dev/ignore: x\n'),
      'compose',
    );
    expect(readDirectives(compose!)).toEqual([]);
  });
});

describe('covers', () => {
  const region = (containers?: { range: Range; label: string }[]): DirectiveScope => ({
    kind: 'region',
    range: { start: { line: 3, column: 3 }, end: { line: 9, column: 5 } },
    ...(containers ? { containers } : {}),
  });

  it('takes line scopes inclusively', () => {
    const d = directive({ scope: { kind: 'lines', from: 4, to: 6 } });
    expect([3, 4, 5, 6, 7].map((l) => covers(d, finding('r', l)))).toEqual([false, true, true, true, false]);
  });

  it('takes regions from their start (inclusive) to their end (exclusive), by line and column', () => {
    const d = directive({ scope: region() });
    const pos = (line: number, column: number): boolean => covers(d, finding('r', line, { range: at(line, column) }));
    expect([pos(3, 2), pos(3, 3), pos(2, 9), pos(5, 1), pos(9, 4), pos(9, 5), pos(10, 1)]).toEqual([
      false,
      true,
      false,
      true,
      true,
      false,
      false,
    ]);
  });

  it('narrows to containers by position or by identity (the container or below it)', () => {
    const d = directive({
      scope: region([{ range: { start: { line: 6, column: 1 }, end: { line: 8, column: 1 } }, label: 'Pod/p container "c"' }]),
    });
    const f = (line: number, identity: string): boolean => covers(d, finding('r', line, { identity }));
    expect(f(7, 'Pod/p')).toBe(true);
    expect(f(4, 'Pod/p')).toBe(false);
    expect(f(4, 'Pod/p container "c"')).toBe(true);
    expect(f(4, 'Pod/p container "c" port 80')).toBe(true);
    expect(f(4, 'Pod/p container "cc"')).toBe(false);
    expect(f(2, 'Pod/p container "c"')).toBe(false);
    expect(covers(directive({ scope: region([]) }), finding('r', 7))).toBe(false);
  });

  it('covers the whole file for a file scope', () => {
    expect(covers(directive({ scope: { kind: 'file' } }), finding('r', 10_000))).toBe(true);
  });
});

describe('applySuppressions', () => {
  const run = (findings: Finding[], ds: Directive[], opts: Partial<SuppressOptions> = {}): ReturnType<typeof applySuppressions> =>
    applySuppressions(findings, new Map([['f.yaml', ds]]), { ...OPTS, ...opts });

  it('lists the suppression rules', () => {
    expect([...SUPPRESSION_RULES]).toEqual([
      'suppression-without-reason',
      'expired-suppression',
      'unused-suppression',
      'invalid-suppression',
      'suppression-former-rule-id',
    ]);
  });

  it('reports each problem of a malformed directive, which then suppresses nothing', () => {
    const f = finding('r', 2);
    const d = directive({
      problems: [
        { messageId: 'badDate', data: { value: 'x' } },
        { messageId: 'noRules', data: {} },
      ],
    });
    expect(run([f], [d])).toEqual([
      {
        file: 'f.yaml',
        range: d.range,
        identity: d.text,
        ruleId: 'invalid-suppression',
        messageId: 'badDate',
        data: { form: 'podguard-ignore comment', value: 'x' },
      },
      {
        file: 'f.yaml',
        range: d.range,
        identity: d.text,
        ruleId: 'invalid-suppression',
        messageId: 'noRules',
        data: { form: 'podguard-ignore comment' },
      },
    ]);
    expect(f.suppression).toBeUndefined();
  });

  it('names each form in its reports', () => {
    const forms = [
      directive({ form: 'file comment', ruleIds: ['r'], reason: '' }),
      directive({ form: 'annotation', ruleIds: ['r'], reason: '', text: 'podguard.dev/ignore.web: r' }),
      directive({ form: 'comment', ruleIds: ['r'], reason: '' }),
    ];
    expect(run([], forms).map((r) => r.data.form)).toEqual([
      'podguard-ignore-file comment',
      'podguard.dev/ignore.web annotation',
      'podguard-ignore comment',
    ]);
  });

  it('reports unknown rule ids with a suggestion and still applies the known ones', () => {
    const f = finding('r', 2);
    const d = directive({ ruleIds: ['privileged-containr', 'r'] });
    expect(run([f], [d])).toEqual([
      {
        file: 'f.yaml',
        range: d.range,
        identity: d.text,
        ruleId: 'invalid-suppression',
        messageId: 'unknownRule',
        data: { form: 'podguard-ignore comment', rule: 'privileged-containr', hint: ' (did you mean "privileged-container"?)' },
      },
    ]);
    expect(f.suppression).toEqual({ kind: 'inSource', justification: 'why' });
  });

  it('works through its until day and stops the day after', () => {
    const d = (): Directive => directive({ until: '2026-06-15', ruleIds: ['r', 's'] });
    const today = run([finding('r', 2), finding('s', 2)], [d()]);
    expect(today).toEqual([]);
    const f = finding('r', 2);
    expect(run([f], [d()], { today: '2026-06-16' })).toEqual([
      {
        file: 'f.yaml',
        range: at(1),
        identity: 'podguard-ignore r -- why',
        ruleId: 'expired-suppression',
        messageId: 'expired',
        data: { form: 'podguard-ignore comment', rules: 'r, s', until: '2026-06-15' },
      },
    ]);
    expect(f.suppression).toBeUndefined();
  });

  it('needs a reason unless the rule about reasons is off', () => {
    const f = finding('r', 2);
    expect(run([f], [directive({ reason: '', ruleIds: ['r', 's'] })])).toEqual([
      {
        file: 'f.yaml',
        range: at(1),
        identity: 'podguard-ignore r -- why',
        ruleId: 'suppression-without-reason',
        messageId: 'missing',
        data: { form: 'podguard-ignore comment', rules: 'r, s' },
      },
    ]);
    expect(f.suppression).toBeUndefined();
    const g = finding('r', 2);
    expect(run([g], [directive({ reason: '' })], { reasonRequired: false })).toEqual([]);
    expect(g.suppression).toEqual({ kind: 'inSource', justification: '(no reason given)' });
  });

  it('suppresses only its rules, in its scope, in its file', () => {
    const inScope = finding('r', 5);
    const otherRule = finding('s', 5);
    const outside = finding('r', 7);
    const otherFile = finding('r', 5, { file: 'g.yaml' });
    const reports = run([inScope, otherRule, outside, otherFile], [directive({ scope: { kind: 'lines', from: 4, to: 6 } })]);
    expect(reports).toEqual([]);
    expect([inScope, otherRule, outside, otherFile].map((f) => Boolean(f.suppression))).toEqual([true, false, false, false]);
  });

  it('gives the justification of the first covering directive in file order, and keeps an earlier one', () => {
    const wide = directive({ reason: 'file-wide', scope: { kind: 'file' } });
    const line = directive({ reason: 'on the line', scope: { kind: 'lines', from: 3, to: 3 } });
    const f = finding('r', 3);
    run([f], [line, wide]);
    expect(f.suppression?.justification).toBe('on the line');
    const g = finding('r', 3);
    run([g], [wide, line]);
    expect(g.suppression?.justification).toBe('file-wide');
    const h = finding('r', 3, { suppression: { kind: 'external', justification: 'already' } });
    run([h], [line]);
    expect(h.suppression).toEqual({ kind: 'external', justification: 'already' });
  });

  it('keeps directives of different regions apart, however many share a file', () => {
    const region = (from: number, to: number): DirectiveScope => ({
      kind: 'region',
      range: { start: { line: from, column: 1 }, end: { line: to, column: 1 } },
    });
    const a = directive({ ruleIds: ['r'], reason: 'first object', scope: region(2, 10) });
    const b = directive({ ruleIds: ['s'], reason: 'second object', scope: region(12, 20) });
    const findings = [finding('r', 5), finding('s', 5), finding('r', 15), finding('s', 15)];
    run(findings, [a, b]);
    expect(findings.map((f) => f.suppression?.justification ?? null)).toEqual(['first object', null, null, 'second object']);
  });

  it('finds directives of every line of a region, grouped by scope', () => {
    const scope: DirectiveScope = { kind: 'region', range: { start: { line: 2, column: 1 }, end: { line: 40, column: 1 } } };
    const a = directive({ ruleIds: ['r'], reason: 'a', scope });
    const b = directive({ ruleIds: ['s', 's'], reason: 'b', scope });
    const findings = [finding('r', 2), finding('s', 20), finding('r', 39), finding('r', 40)];
    const stats = { checks: 0 };
    expect(run(findings, [a, b], { stats })).toEqual([]);
    expect(findings.map((f) => f.suppression?.justification ?? null)).toEqual(['a', 'b', 'a', null]);
    // One check per finding: only the directive of its rule on its line is looked at (line 40,
    // the region's end line, is indexed; the column decides there).
    expect(stats.checks).toBe(4);
  });

  it('reports an unused directive per known, enabled rule it names', () => {
    const d = directive({ ruleIds: ['r', 's', 'run-as-root', 'unknown-x'], scope: { kind: 'lines', from: 2, to: 2 } });
    const reports = run([finding('r', 2)], [d]).filter((r) => r.ruleId === 'unused-suppression');
    expect(reports).toEqual([
      {
        file: 'f.yaml',
        range: d.range,
        identity: `${d.text} s`,
        ruleId: 'unused-suppression',
        messageId: 'unused',
        data: { form: 'podguard-ignore comment', rule: 's' },
      },
    ]);
  });

  it('never suppresses findings about directives', () => {
    const fs = SUPPRESSION_RULES.map((id) => finding(id, 3));
    run(fs, [directive({ ruleIds: [...SUPPRESSION_RULES] })], { knownRules: new Set(SUPPRESSION_RULES), enabledRules: new Set() });
    expect(fs.filter((f) => f.suppression)).toEqual([]);
  });

  it('covers a renamed rule through its former id and says so once per former id', () => {
    const formerIds = new Map([
      ['image-digest', ['image-tag']],
      ['image-other', ['image-tag']],
    ]);
    const opts = {
      knownRules: new Set(['image-digest', 'image-other', 'image-tag']),
      enabledRules: new Set(['image-digest', 'image-other', 'image-tag']),
      formerIds,
    };
    const d = directive({ ruleIds: ['image-tag'] });
    const fs = [finding('image-other', 3), finding('image-digest', 4), finding('image-digest', 5)];
    const reports = run(fs, [d], opts);
    expect(fs.every((f) => f.suppression?.justification === 'why')).toBe(true);
    expect(reports).toEqual([
      {
        file: 'f.yaml',
        range: d.range,
        identity: `${d.text} image-tag`,
        ruleId: 'suppression-former-rule-id',
        messageId: 'formerId',
        data: { form: 'podguard-ignore comment', rule: 'image-tag', current: 'image-digest, image-other' },
      },
    ]);
    // Named directly, the new id needs no note.
    const direct = finding('image-digest', 3);
    expect(run([direct], [directive({ ruleIds: ['image-digest', 'image-tag'] })], opts).map((r) => [r.ruleId, r.data.rule])).toEqual([
      ['unused-suppression', 'image-tag'],
    ]);
    expect(direct.suppression).toBeDefined();
  });
});
