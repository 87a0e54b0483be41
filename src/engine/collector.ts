/**
 * Reports -> findings: the level, the message (safe, secrets masked), the range, the identity and
 * a fingerprint stable across runs. Findings are stored compactly: a large scan holds hundreds of
 * thousands of them.
 */
import { hash as cryptoHash, scryptSync } from 'node:crypto';
import { Redactor, maskValues } from '../redact.js';
import { MAX_ECHO, safeData } from '../safe-text.js';
import { ownCopy } from '../own-copy.js';
import { formatMessage } from '../rule.js';
import type { Report, Rule } from '../rule.js';
import type { Finding, Level, Range } from '../types.js';
import type { RuleLevels } from './plan.js';

const FINGERPRINT_SALT = 'podguard-fp-v1';
const SECRET_SALT = 'podguard-secret-fp-v1';
/** Engine findings carry podguard's own texts (parse errors with hints): a longer cap. */
const SYSTEM_ECHO = 600;

const safeText = (v: string): string => safeData(v, MAX_ECHO);
const safeSystemText = (v: string): string => safeData(v, SYSTEM_ECHO);

/** A report once its place is known: what the collector needs besides the rule, the path and the range. */
export type Placed = Omit<Report, 'at' | 'file'>;

/** A rule as the collector sees it: the rule and its levels (from the plan). */
export interface Reporting extends Pick<RuleLevels, 'configured'> {
  rule: Rule;
  /** The level a report without its own level gets. */
  level: Level;
}

function hash(parts: readonly string[]): string {
  // crypto.hash (one call, no Hash object) took a quarter of the time of createHash().update()
  // .digest() per finding, profiled on 67,000 findings. Slicing the 64-character hex would keep
  // the whole digest alive behind each fingerprint (a V8 sliced string); the case round trip
  // makes a flat 32-character copy for a few nanoseconds.
  return cryptoHash('sha256', `${FINGERPRINT_SALT}\0${parts.join('\0')}`, 'hex')
    .slice(0, 32)
    .toUpperCase()
    .toLowerCase();
}

/**
 * A deliberately slow salted digest of a secret for its fingerprint: fingerprints are published
 * (SARIF, baselines), and a fast hash of a short password could be confirmed by guessing.
 * N=1024 makes each guess as costly as the scan's one digest per distinct secret.
 */
function secretDigest(secret: string): string {
  return scryptSync(secret, SECRET_SALT, 16, { N: 1024, r: 8, p: 1 }).toString('hex');
}

/**
 * The level of a finding: a level the user configured for the rule wins; else the report's own
 * level (a compose `user: root` is a warning of an error-level rule); else the rule's level.
 */
export function findingLevel(rule: Reporting, r: Placed): Level {
  return rule.configured ?? r.level ?? rule.level;
}

/** Turns rule reports into findings: levels, fingerprints, redaction, compact storage. */
export class Collector {
  /** The findings made, when no `into` was given (a batch's). */
  readonly findings: Finding[] = [];
  /** Where findings go (the scan's spool), else `findings`. */
  private readonly into: { add(f: Finding): void } | undefined;
  readonly redactor = new Redactor();
  /**
   * Fingerprints seen in the current file (they include the file's path, so they cannot collide
   * across files); cleared per file so memory does not grow with the repository.
   */
  private fpCounts = new Map<string, number>();
  /**
   * The current file's identities and ranges, so findings about the same container share one
   * string and one range object: a large scan holds hundreds of thousands of findings, and
   * sharing roughly halves the memory each one takes.
   */
  private identities = new Map<string, string>();
  private ranges = new Map<string, Range>();
  private file: string | undefined;
  // Per scan, so no secret outlives the scan in a module-level cache.
  private readonly digests = new Map<string, string>();
  /** Whether findings keep their former ids' fingerprints (only a baseline reads them). */
  private readonly keepFormer: boolean;

  /**
   * `into`: where the findings go instead of `findings` (the scan's spool).
   * `formerFingerprints`: compute `Finding.formerFingerprints` (default true). A scan without a
   * baseline leaves them out: a hash per former id per finding, and memory no output reads.
   */
  constructor(opts: { formerFingerprints?: boolean; into?: { add(f: Finding): void } } = {}) {
    this.keepFormer = opts.formerFingerprints ?? true;
    this.into = opts.into;
  }

  private put(f: Finding): void {
    if (this.into) this.into.add(f);
    else this.findings.push(f);
  }

  private digest(secret: string): string {
    let d = this.digests.get(secret);
    if (d === undefined) this.digests.set(secret, (d = secretDigest(secret)));
    return d;
  }

  /** Forgets the current file's fingerprints and shared values (called between files). */
  endFile(): void {
    this.fpCounts = new Map();
    this.identities = new Map();
    this.ranges = new Map();
    this.file = undefined;
  }

  private intern(identity: string): string {
    const known = this.identities.get(identity);
    if (known !== undefined) return known;
    // A rule's identity is often a concatenation (a rope of small strings): keep a flat copy.
    const flat = ownCopy(identity);
    this.identities.set(flat, flat);
    return flat;
  }

  private shared(range: Range): Range {
    const { start, end } = range;
    const key = `${start.line}:${start.column}:${end.line}:${end.column}`;
    let r = this.ranges.get(key);
    if (!r) {
      r = Object.freeze({
        start: Object.freeze({ line: start.line, column: start.column }),
        end: Object.freeze({ line: end.line, column: end.column }),
      });
      this.ranges.set(key, r);
    }
    return r;
  }

  /** Takes findings made on this thread (a batch's), which share identities and ranges already. */
  take(findings: readonly Finding[]): void {
    for (const f of findings) this.put(f);
  }

  /**
   * Takes findings made elsewhere (another thread's batch), sharing identities and ranges per file
   * again: structured cloning gives every finding its own copies.
   */
  adopt(findings: readonly Finding[]): void {
    for (const f of findings) {
      if (f.file !== this.file) {
        this.endFile();
        this.file = f.file;
      }
      f.identity = this.intern(f.identity);
      f.range = this.shared(f.range);
      this.put(f);
    }
    this.endFile();
  }

  /** Makes a finding of `rule` at `range` in the file at `path` (root-relative). */
  add(rule: Reporting, path: string, range: Range, r: Placed): void {
    const { meta } = rule.rule;
    if (r.secret) this.redactor.add(r.secret);
    for (const form of r.secretForms ?? []) this.redactor.add(form);
    const identity = this.intern(r.identity ?? '');
    const value = r.secret ? `secret:${this.digest(r.secret)}` : (r.value ?? '');
    let fp = hash([meta.id, path, identity, r.messageId, value]);
    const n = this.fpCounts.get(fp) ?? 0;
    this.fpCounts.set(fp, n + 1);
    if (n > 0) fp = hash([fp, String(n)]);
    // A baseline written before a rename or split holds the finding under the former id.
    const former = (this.keepFormer ? meta.formerIds : undefined)?.map((id) => {
      const old = hash([id, path, identity, r.messageId, value]);
      return n > 0 ? hash([old, String(n)]) : old;
    });
    const template = meta.messages[r.messageId];
    if (template === undefined) throw new Error(`rule ${meta.id} reported unknown message id "${r.messageId}"`);
    this.put({
      ruleId: meta.id,
      messageId: r.messageId,
      level: findingLevel(rule, r),
      // Data from the file is made one safe line (no log command, capped); the report's own secret
      // is masked here, where it is, whatever it looks like; the scan-wide redactor runs at output.
      message: maskValues(formatMessage(template, r.data, meta.system ? safeSystemText : safeText), [r.secret, ...(r.secretForms ?? [])]),
      file: path,
      range: this.shared(range),
      identity,
      fingerprint: fp,
      ...(former?.length ? { formerFingerprints: former } : {}),
      ...(r.properties ? { properties: r.properties } : {}),
    });
  }
}
