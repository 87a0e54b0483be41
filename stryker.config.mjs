// Mutation testing of the modules that guard the gate: `npm run mutate` (all of them, hours on a
// small machine) or one module at a time, e.g. `MUTATE=suppress npm run mutate -- --concurrency 1`.
// Each module names the tests that can see it, so a mutant runs only those (with perTest coverage,
// only the tests that reach the mutated line). Not run by .ci/run: run it before each release.
//
// Known equivalent survivors (no test can kill them: the behaviour does not change):
// - src/redact.ts NOT_CREDENTIALS entries shorter than 8 characters ('true' ... 'example', 13
//   of them) -> '': isCredentialLike rejects anything under 8 characters before the list.
// - src/redact.ts isCredentialLike plain-word pattern without `^` or without `$`: the per-word
//   test after it (no empty piece, each piece one case or capitalised) implies the whole shape.
// - src/redact.ts Matcher `fail = [0]` -> `[]`: every state pushes a 0, so only the last
//   created state's link is missing, and that state is never at depth 1 (values have 8+ chars).
// - src/redact.ts Matcher `g !== t` -> true: g is at most as deep as s, t is one deeper.
// - src/redact.ts maskValues `x.length > 0` -> true and -> `>= 0`: `!!x` already drops ''.
// - src/redact.ts maskValues `if (out.includes(v))` -> true: split/join of an absent value is
//   the identity.
// - src/redact.ts Redactor constructor default `[]` -> `['Stryker was here']`: plain words,
//   not credential-like, never registered.
// - src/redact.ts Redactor.add `escaped !== secret` -> true and `line !== secret` -> true: the
//   secret itself is pushed again, and push skips a known value.
// - src/redact.ts redact `if (ranges.length === 0)` -> false: one slice of the whole text.
// - src/redact.ts safeErrorText `run.replace(scheme, '')` -> `replace(scheme, 'Stryker was
//   here!')`: the replacement holds none of the characters the token test looks for.
// - src/collect/changed.ts checkBranch `bare.startsWith('-') ||` removed: `git check-ref-format
//   --branch` refuses a leading `-` with the same error (the check stays as defence in depth).
// - src/secrets/file-tokens.ts scanTokens `lastIndexOf('\n---', ...) + 1` -> `- 1`: the window
//   gains the previous document's last character and line break, which hold no whole token.
// - src/secrets/heuristics.ts urlInfo `m[1] ?? ''` -> 'Stryker was here!' (no coverage): the
//   group always takes part in a match; `at > 0` -> `at >= 0`: at 0 the user part is empty.
// - src/secrets/heuristics.ts isDefaultPassword `m[1] !== v` -> true: a whole-value word was
//   already looked up in DEFAULT_PASSWORDS one line above.
// - src/secrets/heuristics.ts isMask `v.length > 0` -> true and -> `>= 0`: '' fails both patterns.
// - src/secrets/heuristics.ts isDocumentationPlaceholder `value.trim()` -> `value`: every test
//   after it trims (isMask, isPlaceholder, isDefaultPassword) or splits on non-alphanumerics;
//   its `v.length === 0 ||` -> false: isPlaceholder takes '' for a placeholder.
// - src/secrets/heuristics.ts isLiteralSecret `v.length === 0 ||` -> false: `v.length < 4`
//   refuses '' two lines later.
// - src/secrets/heuristics.ts entropy `value.length === 0` -> false: an empty value's loop adds
//   nothing, so h stays 0.
// - src/secrets/heuristics.ts KNOWN_PUBLIC_VALUES 'AKIAIOSFODNN7EXAMPLE' and the `wJalr...EXAMPLEKEY`
//   key -> '': both hold the placeholder word "example", which isPlaceholder (and so
//   isDocumentationPlaceholder, which ends in it) finds anyway.
// - src/secrets/heuristics.ts nameParts `partsCache.size >= 4096` -> true, false, `>` or `<`: the
//   cache only saves work (a cleared cache recomputes the same frozen parts); it bounds memory.
// - src/secrets/heuristics.ts splitName `/([A-Z]+)([A-Z][a-z])/` -> `/([A-Z])([A-Z][a-z])/`: both
//   put the break right before the capital that starts a word; `split(/[^a-z0-9]+/)` ->
//   `/[^a-z0-9]/`: the empty pieces are filtered out.
// - src/secrets/heuristics.ts secretNameStrength `parts.length === 0 ||` -> false: with no parts
//   the suffix test and both loops find nothing, so the answer is undefined either way; the
//   key-vault loop `i + 1 < parts.length` -> `<=` or `i - 1 < ...` and the part loop `i <
//   parts.length` -> `<=`: the extra steps read undefined, which matches no word.
// - src/platform/inputs.ts bare `/^input /` -> `/input /` and forInput `/^--allow-image /` ->
//   `/--allow-image /`: the first occurrence is the leading one (names are `x` or `input x`; the
//   engine's message starts with the flag), so replacing the first is replacing the prefix.
// - src/platform/inputs.ts parsePaths `relativeOnly ? paths : []` -> `['Stryker was here']`: a
//   relative path without `..` passes the check it then meets.
// - src/platform/inputs.ts inPaths `(): boolean => false` -> `() => undefined`: both are falsy
//   where the result is only tested for truth.
// - src/platform/job.ts selectFiles `collect({ paths: ['.'], exclude: [] })` -> paths `['']` or
//   exclude `['Stryker was here']`: '' resolves to the root as '.' does, and the pattern matches no
//   file; touchedBy `if (!scope.files)` -> false: a full scan's touched map is empty, so the
//   function answers false for every finding, and the annotations and summary treat that as no
//   function (no mark, the same order).
// - src/collect/collect.ts: the cheap name test while listing (`mayBeOurs` -> true, the walk's
//   `SKIP_DIRS` and file-type tests -> true/false, git's `.filter(accept)` removed, the collect
//   walk's `accept` -> true and `if (mayBeOurs(...))` -> true): each only saves work, since every
//   listed file is classified again by `nameKind`, `SKIP_DIRS` and lstat before it is taken.
// - src/collect/collect.ts `regular?.add` -> never: an lstat then gives the same answer.
// - src/collect/collect.ts listDir `files = []` -> `['Stryker was here']`: a relative name that
//   resolves outside the root and has no file kind.
// - src/collect/collect.ts exclude `() => false` -> `() => undefined` (twice): both falsy.
// - src/collect/collect.ts findRenderMarkers `if (dir === root) break` -> never (twice): the
//   loop's own `inside(root, dir)` ends it one step later.
// - src/collect/collect.ts statQuiet / realpathQuiet `catch { return undefined }` -> `catch {}`.
// - src/config/load.ts validator `cached?.rules !== rules` -> true: the schema is compiled again
//   each time (a cache); Ajv `strict: false` -> true: the schema is strict-clean.
// - src/config/load.ts TYPE_WORDS `number: 'a number'` -> '': no configuration key has the JSON
//   type number (timeoutSeconds and maxFileBytes are integers).
// - src/config/load.ts valueAt `cur !== null && typeof cur === 'object'` (4 mutants: -> true, ||):
//   the path comes from Ajv's instancePath, whose every step is a mapping or list that exists.
// - src/config/load.ts lstatQuiet `{ throwIfNoEntry: false }` -> {} or true, and `catch { return
//   undefined }` -> `catch {}`: a missing file then throws and is caught, both give undefined.
// - src/config/load.ts describe `additionalProperty ?? ''`, `allowedValues ?? []`, `type ?? ''`
//   and `message ?? 'is invalid'` -> other values (no coverage): Ajv always sets them.
// - src/config/load.ts relevant `replace(/~1/g, '/')` and `replace(/~0/g, '~')` -> '': the path is
//   `rules/<id>` of a known rule (anyOf holds only known ids), and rule ids hold neither.
// - src/config/load.ts offAsLevel `typeof value === 'object'` -> true (the first operand only):
//   `value !== null` still guards, and a string or number has no `level`.
// - src/config/load.ts `cfg.profile === 'restricted'` -> false and readRender `r.mode ===
//   'optional'` -> false: the defaults are restricted and optional.
// - src/config/load.ts `cfg.render && typeof cfg.render === 'object'` -> `||` or `&& true`, and
//   readRender `c?.valuesFiles`, `c?.releaseName`, `c?.namespace` -> `c.`: the schema has made
//   render and each chart entry a mapping before these lines run.
// - src/config/safe-read.ts isInside `r === '' ||` -> false or another string: climbsOut('') is
//   false, so the root itself is inside either way.
// - src/collect/git.ts `windowsHide: true` -> false (no window on Linux), gitTopLevel
//   `catch { return undefined }` -> `catch {}`, parseNameStatus `startsWith('D')` ->
//   `endsWith('D')` (a D status is the one letter D).
// - src/suppress/apply.ts indexDirectives `if (!group)` -> true: directives of one scope then get
//   a group each, and a finding's line lists every group; `candidates` collects from all of them.
// - src/suppress/apply.ts suppress `if (!index)` -> true: the file's index is rebuilt per finding,
//   with the same content.
// - src/suppress/apply.ts candidates `former.get(...) ?? []` -> `['Stryker was here']`: no
//   directive names that id; `list.length > 1` -> true and -> `>= 1`: one directive needs no sort.
// - src/suppress/directives.ts parseDirectiveBody reason `/^\s*--/` -> `/\s*--/`: the slice starts
//   at the separator, so the first match is at its start; `split(/[\s,]+/)` -> `/[\s,]/`: the
//   empty pieces are filtered out.
// - src/suppress/directives.ts commentDirectives: the YAML branch's escape `'\\'` -> '' (only
//   Dockerfiles follow continuations); the per-line and the file-level `includes('podguard-ignore')`
//   checks -> true and -> includes(''): cheap skips, COMMENT matches only lines holding the word.
// - src/suppress/directives.ts commentDirectives `offset < b` -> `offset <= b`: the character at a
//   scalar's end offset is never a `#` after a blank (blanks are trimmed from the end; what follows
//   is a closing quote, a line break, a flow indicator or a separator).
// - src/suppress/directives.ts own-line target `target <= lines.length &&` -> true
//   (isCommentLine(undefined) tests "undefined": false) and -> `target < lines.length`: the last
//   line is then the target, a comment line or the empty piece after a final line break. (Not
//   strictly equivalent: a finding starting on a final comment line of a file without a final
//   line break, such as an end-of-stream parse error, would be covered; not worth pinning.)
// - src/suppress/directives.ts union `x.column < y.column` -> `<=` (no coverage before the region
//   tests): two disjoint nodes never start, or end, at one position.
// - src/secrets/marvin32.ts tail `0x80 << ((n - i) * 8)` -> `(n + i) * 8`: shift counts are taken
//   mod 32 and `i` is a multiple of 4, so both shift by the same amount; the tail loop
//   `i + k < n` -> `<=`: the byte past the end reads as undefined, which shifts to 0.
// - src/secrets/detectors.ts regexDetector `value.length === 0` -> false: isPlaceholder takes ''
//   for a placeholder one line later.
// - src/secrets/detectors.ts verifyAzureKey the re-encoding's `/=+$/` -> `/=+/`: a canonical
//   base64 text has `=` at its end only.
// - src/secrets/detectors.ts keyBody header `/^[A-Za-z-]+:.*$/gm` -> without `$`: `.*` runs to the
//   line end anyway.
// - src/secrets/detectors.ts privateKey `endWord < 0` -> `<= 0`: an END is found after its BEGIN,
//   never at 0; the dash walk's `endStart > begin.lastIndex` -> true and -> `>=`: it passes
//   lastIndex only when everything between BEGIN and END is dashes, and then the body is empty.
// - src/secrets/detectors.ts PuTTY `nextLines = -2` -> `+2` (a header ends past offset 2),
//   `nextLines < putty.lastIndex` -> true and -> `<=` (the search again finds the same
//   Private-Lines), `lines < 0` -> `<= 0` and `macAt`, `mac < 0` -> `<= 0` (each is 0 only where
//   "Private-Lines:" stands, which is no MAC), `lines < 0` -> never (no Private-Lines leaves a
//   body of at most one character: no key; the break keeps many headers linear), the count's
//   and the MAC's `^` removed (the text starts there; `{0,128}` matches at 0).
// - src/secrets/detectors.ts keyword prefilter: the keyword escape -> `() => undefined` (the
//   alternation then matches everywhere and `startsWith` still decides each keyword: slower, same
//   result) and `new Array(n).fill(false)` -> `new Array().fill(false)` (unset entries are
//   undefined, as falsy); findTokens `x.rank < last.rank` -> `<=`: one detector's matches never
//   overlap each other.
// - src/secrets/secret-object.ts CREDENTIAL_KEYS entries -> '' (each of the six):
//   secretNameStrength already names tls.key, ssh-privatekey, token and password (a test pins
//   each as a credential), and .dockerconfigjson / .dockercfg take their verdict from the registry
//   entries right after.
// - src/secrets/secret-object.ts decodeBase64 `/\s+/g` -> `/\s/g`: the same characters go.
// - src/secrets/secret-object.ts dockerAuths `catch { return [] }` -> `catch {}`: `parsed` stays
//   undefined and the auths test returns []; `typeof auths !== 'object'` and `typeof entry !==
//   'object'` -> false: a truthy non-object has no auth or password fields (Object.entries of a
//   number is empty, of a string its characters, which the entry test skips).
// - src/secrets/secret-object.ts dockerAuths `decoded ? [decoded] : []` -> `['Stryker was here']`
//   (no coverage): a password is only found in an auth that decoded.
// - src/secrets/secret-object.ts secretContents `raw.trim() === ''` -> false, `raw.trim()` ->
//   `raw`, `''` -> another string: a blank value is a documentation placeholder, skipped two lines
//   later; `entries.length === 0` -> false: `at` is set exactly when an entry is pushed.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The sandboxes live outside the repository: one inside it would sit in git's work tree, where
// its (ignored) copies of directory fixtures are invisible to the git-based file listing.
// Stryker links node_modules into a sandbox only when it is a real directory; in a git worktree
// whose node_modules is a symbolic link it links nothing and the runner cannot find jest. A
// node_modules link beside the sandboxes' directory is found by walking up, in either case.
// One parent per checkout: two runs from two worktrees must not share (and clean) one sandbox
// directory, nor flip one node_modules link between them.
const TEMP_PARENT =
  process.env.PODGUARD_STRYKER_PARENT ??
  join(tmpdir(), `podguard-stryker-${createHash('sha256').update(process.cwd()).digest('hex').slice(0, 12)}`);
const modules = realpathSync(join(process.cwd(), 'node_modules'));
const link = join(TEMP_PARENT, 'node_modules');
mkdirSync(TEMP_PARENT, { recursive: true });
if (!existsSync(link) || realpathSync(link) !== modules) {
  rmSync(link, { force: true });
  symlinkSync(modules, link, 'junction');
}
// The tests' temporary files go under the parent too: jest's globalTeardown, which removes them
// after a plain run, does not run when Stryker ends its runners, and a run of thousands of mutants
// left thousands of directories in /tmp. The last run's are removed when the next one starts.
// Stryker's child processes inherit these variables, so only the run's own process clears.
const TESTS_TMP = join(TEMP_PARENT, 'tmp');
if (process.env.PODGUARD_STRYKER_PARENT === undefined) {
  rmSync(TESTS_TMP, { recursive: true, force: true });
  mkdirSync(TESTS_TMP, { recursive: true });
  process.env.PODGUARD_STRYKER_PARENT = TEMP_PARENT;
  process.env.TMPDIR = TESTS_TMP;
}

const MODULES = {
  suppress: {
    mutate: ['src/suppress/**/*.ts'],
    tests: [
      'test/core/suppress.test.ts',
      'test/core/config-off.test.ts',
      'test/core/fixture-framework.test.ts',
      'test/mutation/suppress.test.ts',
    ],
  },
  collect: {
    mutate: ['src/collect/**/*.ts'],
    tests: ['test/collect/**/*.test.ts', 'test/core/partial-scan.test.ts', 'test/hostile/hostile.test.ts'],
  },
  redact: {
    mutate: ['src/redact.ts'],
    tests: ['test/secrets/redaction-format.test.ts', 'test/secrets/redact.test.ts', 'test/mutation/redact.test.ts'],
  },
  config: {
    mutate: ['src/config/load.ts'],
    tests: ['test/core/config.test.ts', 'test/core/config-off.test.ts', 'test/mutation/config.test.ts'],
  },
  baseline: {
    mutate: ['src/baseline/**/*.ts'],
    tests: ['test/core/baseline.test.ts', 'test/mutation/baseline.test.ts'],
  },
  platform: {
    mutate: ['src/platform/**/*.ts'],
    tests: ['test/platform/**/*.test.ts', 'test/core/cli.test.ts'],
  },
  secrets: {
    mutate: ['src/secrets/**/*.ts'],
    tests: [
      'test/secrets/marvin32.test.ts',
      'test/secrets/corpus.test.ts',
      'test/secrets/robust.test.ts',
      'test/secrets/no-leak.test.ts',
      'test/secrets/detectors.test.ts',
      'test/mutation/secrets.test.ts',
    ],
  },
};

// MUTATE_TESTS=contract runs only the module's contract test (test/mutation/<module>.test.ts):
// minutes instead of hours on a shared 2-CPU machine, and a lower bound of the score (more tests
// can only kill more). Its survivors are then rechecked against the full list above with
// `--mutate file:lines`; the README's table says which list each score is from.
// MUTATE_TESTS=a.test.ts,b.test.ts (paths from the checkout) runs only those tests: for one file
// of a module whose full list is slow (the platform list starts the Action end to end).
const contractOnly = process.env.MUTATE_TESTS === 'contract';
const namedTests =
  process.env.MUTATE_TESTS && !contractOnly
    ? process.env.MUTATE_TESTS.split(',')
        .map((t) => t.trim())
        .filter(Boolean)
    : undefined;

const chosen = (process.env.MUTATE ?? Object.keys(MODULES).join(','))
  .split(',')
  .map((m) => m.trim())
  .filter(Boolean);
for (const m of chosen) if (!MODULES[m]) throw new Error(`MUTATE: unknown module "${m}" (known: ${Object.keys(MODULES).join(', ')})`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  // Jest runs the ES modules of the sources through vm modules (see package.json "test").
  testRunnerNodeArgs: ['--experimental-vm-modules', '--no-warnings'],
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    enableFindRelatedTests: false,
    config: {
      testMatch: [...new Set(namedTests ?? chosen.flatMap((m) => (contractOnly ? [`test/mutation/${m}.test.ts`] : MODULES[m].tests)))].map(
        (t) => `<rootDir>/${t}`,
      ),
      reporters: ['default'],
    },
  },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  coverageAnalysis: 'perTest',
  mutate: chosen.flatMap((m) => MODULES[m].mutate),
  concurrency: 1,
  // The contract tests take milliseconds: a mutant that loops forever is stopped sooner.
  timeoutMS: contractOnly ? 10000 : 60000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: join(TEMP_PARENT, 'sandboxes'),
  cleanTempDir: true,
};
