/** The fixture framework rejects fixtures that cannot fail (test/helpers/fixtures.ts). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectationProblems, expectations, scanFixture, validProblems } from '../helpers/fixtures.js';

function fixture(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-fx-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const PRIVILEGED =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - name: a\n      image: a:1.0\n      securityContext:\n';

describe('fixture framework', () => {
  it('rejects a valid fixture whose own finding is only suppressed', async () => {
    const f = fixture('pod.yaml', `${PRIVILEGED}        privileged: true # podguard-ignore privileged-container -- test\n`);
    const problems = validProblems('privileged-container', await scanFixture(f));
    expect(problems).toEqual([
      'suppressed finding (a valid fixture must not need a suppression): pod.yaml privileged-container/privileged@10:9 error',
    ]);
  });

  it('rejects a valid fixture that turns its own rule off', async () => {
    const f = fixture('pod.yaml', `# podguard-config: {"rules": {"privileged-container": "off"}}\n${PRIVILEGED}        privileged: true\n`);
    expect(validProblems('privileged-container', await scanFixture(f))).toEqual([
      'privileged-container is off in this fixture: it passes whatever the rule does',
    ]);
  });

  it('rejects an engine rule turned off in a valid fixture, and accepts it on', async () => {
    const f = fixture('pod.yaml', `# podguard-config: {"rules": {"duplicate-key": "off"}}\n${PRIVILEGED}        privileged: false\n`);
    expect(validProblems('duplicate-key', await scanFixture(f))).toHaveLength(1);
    const g = fixture('pod.yaml', `${PRIVILEGED}        privileged: false\n`);
    expect(validProblems('duplicate-key', await scanFixture(g))).toEqual([]);
  });

  it("rejects an invalid fixture whose expectations never name the fixture's rule", () => {
    const f = fixture('pod.yaml', `${PRIVILEGED}        privileged: true # expect: privileged-container/privileged@10:9 error\n`);
    const expected = expectations(f, 'run-as-root');
    expect(expectationProblems('run-as-root', expected)).toEqual([
      'no expectation names run-as-root: the fixture does not test its own rule',
    ]);
    expect(expectationProblems('privileged-container', expected)).toEqual([]);
  });

  it('rejects an expectation without column or without level', () => {
    const f = fixture(
      'pod.yaml',
      `${PRIVILEGED}        privileged: true # expect: privileged@10 # expect: privileged@10:9 # expect: privileged@10 error\n`,
    );
    expect(expectationProblems('privileged-container', expectations(f, 'privileged-container'))).toEqual([
      'expectation without column and level: pod.yaml privileged-container/privileged@10',
      'expectation without column and level: pod.yaml privileged-container/privileged@10:9',
      'expectation without column and level: pod.yaml privileged-container/privileged@10 error',
    ]);
  });
});
