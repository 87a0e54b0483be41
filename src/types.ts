/** Core types shared by every layer of podguard. Platform-free. */

/** SARIF-compatible result level. */
export type Level = 'error' | 'warning' | 'note';
/** A configured level: a Level, or `off` to disable the rule. */
export type LevelSetting = Level | 'off';
/** A gate level. */
export type FailOn = Level | 'never';
/** The kinds of file podguard understands. */
export type FileKind = 'kubernetes' | 'dockerfile' | 'compose' | 'aci';
/** All file kinds, in display order. */
export const FILE_KINDS: readonly FileKind[] = ['kubernetes', 'dockerfile', 'compose', 'aci'];

/** 1-based line and column (column counted in UTF-16 code units, as SARIF's default). */
export interface Position {
  line: number;
  column: number;
}

/** A source range; `end.column` is exclusive (one past the last character), as in SARIF. */
export interface Range {
  start: Position;
  end: Position;
}

/** Severity order: higher is more severe. */
export const LEVEL_RANK: Record<Level, number> = { error: 3, warning: 2, note: 1 };

/** A finding produced by a rule, after levels are resolved. */
export interface Finding {
  ruleId: string;
  /** The rule's message id (stable; tests and JSON consumers key on it). */
  messageId: string;
  level: Level;
  /** Human message. Never contains a secret value (rules pass secrets separately). */
  message: string;
  /** Path relative to the scan root, with forward slashes. */
  file: string;
  range: Range;
  /** Identity of what the finding is about (object/container), stable across line moves. */
  identity: string;
  /** Stable fingerprint (rule, file, identity, salted value hash); never the raw value. */
  fingerprint: string;
  /**
   * The fingerprints it had under its rule's former ids (a renamed or split rule), for old
   * baselines: set only in a scan that applies a baseline, their one reader.
   */
  formerFingerprints?: readonly string[];
  /** Set when an in-source suppression or baseline matched. */
  suppression?: { kind: 'inSource' | 'external'; justification: string };
  /** True when the finding is known in the baseline (reported as a note, never gates). */
  baselined?: boolean;
  /** Rule-supplied extra properties for JSON/SARIF (no secret values). */
  properties?: Record<string, string | number | boolean>;
  /** Other places that bear on the finding (the values line a template read), as SARIF relatedLocations. */
  related?: RelatedLocation[];
}

/** A place related to a finding (root-relative file). */
export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

/** Thrown for user mistakes (bad flag, bad config): one clear message, exit code 2. */
export class ConfigurationError extends Error {
  /** The input, flag or configuration key at fault (`failOn`, `--fail-on`), when one is. */
  readonly input: string | undefined;
  constructor(message: string, options: { input?: string } = {}) {
    super(message);
    this.name = 'ConfigurationError';
    this.input = options.input;
  }
}

/** SARIF precision: how sure a finding of this rule is. */
export type Precision = 'very-high' | 'high' | 'medium' | 'low';

/** Pod Security Standards level a rule belongs to (for the `profile` setting). */
export type Profile = 'baseline' | 'restricted';
