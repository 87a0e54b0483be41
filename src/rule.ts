/** The rule contract: one file per rule, metadata plus a pure check. */
import type { FileKind, Level, Precision, Profile, Range } from './types.js';
import type { ParsedFile } from './parse/index.js';
import type { SourceFile } from './parse/source.js';
import type { YNode, YPair } from './parse/yaml.js';
import type { Settings } from './config/settings.js';

/** Everything a user, the docs and SARIF learn about a rule. */
export interface RuleMeta {
  /** kebab-case, stable: SARIF ruleId, doc page, suppression name. */
  id: string;
  title: string;
  level: Level;
  /**
   * GitHub's `security-severity` (0.1 to 10.0), inside the band of `level`: error 7.0-10.0,
   * warning 4.0-6.9, note 0.1-3.9. Absent for engine and hygiene rules, which are no security alerts.
   */
  securitySeverity?: number;
  precision: Precision;
  /** One line: what the rule finds. */
  description: string;
  /** Markdown: why it matters, naming the practice or seed it comes from. */
  why: string;
  /** Markdown: the exact fix, with a YAML or Dockerfile snippet (for the rule's first kind). */
  fix: string;
  /**
   * Markdown: the fix written for another format (a compose or ACI snippet), shown after `fix`
   * in the docs, the text report and SARIF help. Keys are file kinds the rule claims.
   */
  fixByFormat?: Partial<Record<FileKind, string>>;
  tags: string[];
  /** File kinds the rule looks at. */
  kinds: FileKind[];
  /** Message templates; `{name}` placeholders are filled from report data. */
  messages: Record<string, string>;
  /** The PSS level this rule enforces; `restricted` rules are off under `profile: baseline`. */
  profile?: Profile;
  /** Defaults of the rule's options (configurable under `rules.<id>` in .podguard.yml). */
  defaultOptions?: Record<string, unknown>;
  /** JSON schema of the options object (validated with the config). */
  optionsSchema?: Record<string, unknown>;
  /** Says when the rule is silent by design (shown in `podguard rules` and the docs). */
  silentUnless?: string;
  /** Engine-produced rules (parse errors...) have no check of their own. */
  system?: boolean;
  /**
   * Ids this rule's findings were reported under before a rename or split (`image-digest` was part
   * of `image-tag`): suppressions and baseline entries naming them keep covering this rule.
   */
  formerIds?: readonly string[];
}

/**
 * Where a report points: a YAML node, a key/value pair (key start to value end), or a range.
 *
 * The convention every rule follows: a finding about a field that is set points at that key
 * (`privileged: true`, the `- SYS_ADMIN` item, the `/var/run/docker.sock:...` volume). A finding
 * about a missing field points where the fix goes: the ACI container's `securityContext` key when
 * it exists, else the container item; the compose service key. Kubernetes containers keep the
 * `- name:` line (or the container item when nameless), where existing `podguard-ignore` comments
 * of users stand; `capabilities-not-dropped` points at `capabilities:` when that key exists.
 */
export type At = YNode | YPair | Range;

/** One report from a rule. */
export interface Report {
  messageId: string;
  data?: Record<string, string | number>;
  at: At;
  /** The file the report is about; defaults to the file being checked (needed in `finish`). */
  file?: SourceFile;
  /** What the finding is about (`Deployment/api container "web"`), for fingerprints and baselines. */
  identity?: string;
  /** The offending value, hashed into the fingerprint (never output). */
  value?: string;
  /** A secret value: redacted from every output and registered as masked on CI platforms. */
  secret?: string;
  /** Other spellings of the same secret (its base64 form, its decoded form), redacted too. */
  secretForms?: readonly string[];
  /** Extra finding properties for JSON/SARIF, e.g. `precision` (never a secret value). */
  properties?: Record<string, string | number | boolean>;
  /** Overrides the rule's default level for this report (a user-configured level still wins). */
  level?: Level;
}

/**
 * What a rule sees while checking one document. The engine builds a context per document and
 * rule, so nothing carries over from one document to the next except `state` and `crossFile`.
 */
export interface RuleContext<S = unknown> {
  /** The rule's options (defaults merged with configuration). */
  options: Record<string, unknown>;
  settings: Settings;
  /**
   * A memo of this rule on this thread (a compiled image policy, a file already read): it outlives
   * the document, but it is neither merged across threads nor seen by `finish`, so nothing a
   * finding about another file depends on may live here (that is `crossFile`).
   */
  state: Map<string, unknown>;
  /** The cross-file state of a rule with `initialState` (see `Rule`); undefined for other rules. */
  crossFile: S;
  /**
   * True when only part of the repository is scanned (a pull request's changed files): what a
   * cross-file rule does not see may still exist, so absence proves nothing.
   */
  partial: boolean;
  report(r: Report): void;
}

/** What `finish` sees: the cross-file state built from every file, in file order; reports name their file. */
export interface FinishContext<S = unknown> {
  options: Record<string, unknown>;
  settings: Settings;
  crossFile: S;
  partial: boolean;
  report(r: Report & { file: SourceFile }): void;
}

/**
 * A rule: metadata, a pure per-document check, and an optional cross-file finish.
 *
 * A cross-file rule (`CrossFileRule`) keeps what `finish` needs in its typed state `S`. Files are
 * checked in runs (batches, possibly on worker threads), each run starting from `initialState()`;
 * the engine merges the runs' states in file order (arrays concatenated, Sets united, Maps and
 * plain objects merged key by key, scalars equal on both sides) and hands the result to `finish`,
 * so the verdict is what one thread checking every file in order would reach. State must be made
 * of those (plain data: it crosses threads by structured clone); keep places as `Spot`s
 * (`rules/util.ts`), not YAML nodes or file texts.
 */
export interface Rule<S = unknown> {
  meta: RuleMeta;
  /** The empty cross-file state of a run of files (cross-file rules only). */
  initialState?(): S;
  check(file: ParsedFile, ctx: RuleContext<S>): void;
  /** Runs once after every file was checked; reports must name their `file`. */
  finish?(ctx: FinishContext<S>): void;
}

/** A rule that judges across files: its state `S` starts from `initialState()` and ends in `finish`. */
export type CrossFileRule<S> = Rule<S> & {
  initialState(): S;
  finish(ctx: FinishContext<S>): void;
};

/**
 * An engine-made rule (file-error, parse-error...): metadata only, no check of its own. Its id
 * and message ids are types, so the engine's door (`src/engine/system-findings.ts`) cannot report
 * a message the rule does not have, or leave out a placeholder's data.
 */
export interface SystemRule<
  Id extends string = string,
  M extends Readonly<Record<string, string>> = Readonly<Record<string, string>>,
> extends Rule {
  meta: RuleMeta & { id: Id; messages: M; system: true };
}

/** Defines an engine-made rule; `const` keeps the id and the message templates as literal types. */
export function systemRule<const Id extends string, const M extends Readonly<Record<string, string>>>(
  meta: Omit<RuleMeta, 'id' | 'messages' | 'system'> & { id: Id; messages: M },
): SystemRule<Id, M> {
  return { meta: { ...meta, system: true }, check: () => undefined };
}

/** The `{name}` placeholders of a message template, as a union of names. */
export type Placeholders<T extends string> = T extends `${string}{${infer Name}}${infer Rest}`
  ? (Name extends '' ? never : Name) | Placeholders<Rest>
  : never;

/** The data a message template needs: one value per placeholder (any names for a template that is not a literal). */
export type MessageData<T extends string> = string extends T
  ? Record<string, string | number>
  : { [K in Placeholders<T>]: string | number };

const FORMAT_TITLE: Record<FileKind, string> = {
  kubernetes: 'Kubernetes',
  dockerfile: 'Dockerfile',
  compose: 'docker-compose',
  aci: 'Azure Container Instances',
};

/** The rule's fix text with a section per format (`fix`, then each `fixByFormat` entry). */
export function fixText(m: RuleMeta): string {
  const extra = Object.entries(m.fixByFormat ?? {}) as [FileKind, string][];
  if (!extra.length) return m.fix;
  return [m.fix, ...extra.map(([kind, text]) => `**${FORMAT_TITLE[kind]}:** ${text}`)].join('\n\n');
}

/** Templates split once into literal text (even indexes) and placeholder names (odd indexes). */
const compiled = new Map<string, string[]>();

/**
 * Fills `{name}` placeholders of a message template (a placeholder without data stays as written).
 * `text`, when given, transforms each string value first (the collector makes them safe there,
 * with no copy of the data object per finding).
 */
export function formatMessage(template: string, data: Record<string, string | number> = {}, text?: (value: string) => string): string {
  let parts = compiled.get(template);
  if (!parts) {
    // split() with a capture group keeps the names: ['text ', 'name', ' more'].
    parts = template.split(/\{(\w+)\}/);
    compiled.set(template, parts);
  }
  if (parts.length === 1) return template;
  // join() builds one flat string; `+=` would leave a rope of pieces behind every stored message,
  // more than doubling what each finding holds.
  const out = parts.slice();
  for (let i = 1; i < out.length; i += 2) {
    const key = out[i]!;
    if (!(key in data)) out[i] = `{${key}}`;
    else {
      const v = data[key];
      out[i] = text && typeof v === 'string' ? text(v) : String(v);
    }
  }
  return out.join('');
}
