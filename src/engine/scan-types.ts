/** What a scan takes and what it gives: the engine's public types. */
import type { Settings } from '../config/settings.js';
import type { FindingList } from '../findings.js';
import type { RenderSummary } from '../render/index.js';
import type { Redactor } from '../redact.js';
import type { Rule } from '../rule.js';
import type { FileKind, Finding } from '../types.js';

/** What to scan and how. */
export interface ScanInput {
  /** Repository root: finding paths are relative to it. */
  root: string;
  /** Files or directories, relative to `root` (default `.`). */
  paths?: readonly string[];
  /** Configuration file; default `.podguard.yml` in the scanned directory or the root. */
  configPath?: string;
  /** Extra allowed-image patterns (CLI `--allow-image`, CI inputs). */
  allowImages?: readonly string[];
  /** When set, only these files (relative to `root`) are scanned. */
  changedFiles?: readonly string[];
  /** An inline configuration object, used instead of any configuration file. */
  config?: unknown;
  /** Adjusts settings after the configuration file is read (CI inputs). */
  adjust?: (settings: Settings) => void;
  /** Rules to run (default: all registered rules). */
  rules?: readonly Rule[];
  /**
   * Where `admissionPolicies:` entries are read from instead of `root` (same relative layout):
   * the base commit's policies of a pull request (`PinnedConfig.policyRoot`).
   */
  policyRoot?: string;
  /** Baseline file (relative to `root`) overriding the configured one; `false` applies none. */
  baseline?: string | false;
  /** Today (`YYYY-MM-DD` or a Date, read in UTC) for suppression expiry; default: the clock. */
  today?: string | Date;
  /**
   * Threads to check files on, this one included (default: one per CPU, at most 4, and only when
   * there are enough files to pay for starting them); 1 keeps the scan on this thread.
   */
  threads?: number;
  /**
   * Make a full scan in which a named path holds no file podguard checks, or that checked nothing
   * at all, an input error (the faces set it unless the user allows an empty scan: a mistyped or
   * moved path would otherwise pass the gate green). Changed-file scans never fail for it.
   */
  requireChecked?: boolean;
  /** The worker script (default: `worker.js` beside the running bundle; none when running from sources). */
  workerScript?: string;
  /** A manifest stream to check instead of files (`podguard scan -`), and the name findings carry. */
  stdin?: { text: string; name: string };
  /**
   * Findings held in memory before `scanStreamed` moves them to a private temporary file (default
   * 2,000, `SPILL_AT`; `scan`, whose result holds them all, keeps them in memory unless this is
   * set): the output is the same either way; tests set it low to exercise the file.
   */
  spillAt?: number;
  /** Environment for finding helm and kustomize (default: process.env). */
  env?: Record<string, string | undefined>;
}

/** The outcome of a scan. */
export interface ScanResult {
  root: string;
  settings: Settings;
  /** Every registered rule (for SARIF `rules[]`), enabled or not. */
  rules: readonly Rule[];
  /** Ids of the rules that ran. */
  enabledRules: string[];
  /** Findings, sorted by file, line, column, rule. */
  findings: Finding[];
  filesScanned: Record<FileKind, number>;
  /** Secret values found: outputs must pass through `redactor`. */
  redactor: Redactor;
  durationMs: number;
  /** Threads that checked files (1: this thread only). */
  threads: number;
  /** What the user should know about how the scan was configured (e.g. a nested configuration not used). */
  notices?: string[];
  /** Helm chart templates that were not checked because nothing rendered them (paths). */
  templatesNotRendered?: string[];
  /** The baseline applied, if any: its path (relative to the root) and how many findings it knew. */
  baseline?: { file: string; known: number };
  /** Helm charts and kustomize roots found, rendered or not (absent when there were none). */
  render?: RenderSummary;
}

/** A scan's outcome as sinks read it: `findings` in order, an array or a spool (`FindingList`). */
export type ScanReport = Omit<ScanResult, 'findings'> & { findings: FindingList };

/** The outcome of `scanStreamed`: its findings are a spool, removed by `dispose()`. */
export type StreamedScan = Omit<ScanResult, 'findings'> & { findings: FindingList & { dispose(): void } };
