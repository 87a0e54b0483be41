/**
 * Every report call of the faces, in one place: the text report in log blocks, SARIF, the job
 * summary, JUnit, GitLab, JSON and the baseline writer, through the report modules' exported
 * functions. A switch to streamed findings changes this file, not the job or the adapters.
 */
import { baselineEntries, baselineText } from '../baseline/baseline.js';
import type { ScanReport } from '../engine.js';
import { gitlabChunks } from '../report/gitlab.js';
import { jsonChunks } from '../report/json.js';
import { junitChunks } from '../report/junit.js';
import { fitSarif, runTimes, sarifChunks, sarifOmittedLine, writeSarif } from '../report/sarif.js';
import type { SarifOptions, SarifWritten } from '../report/sarif.js';
import { coalesce } from '../report/stream.js';
import { renderSummary } from '../report/summary.js';
import type { SummaryOptions } from '../report/summary.js';
import { scanStats, writeText } from '../report/text.js';
import type { TextSink, TextStyle } from '../report/text.js';
import type { FailOn } from '../types.js';

export type { SarifOptions, SarifWritten };
export { omittedText } from '../report/sarif.js';
export { explainRule, useColor } from '../report/text.js';
export { scanStats, sarifOmittedLine };

/** Where the text report of a CI job goes: blocks of lines, and the log's folding when it has one. */
export interface TextBlocks {
  block: (text: string) => void;
  group?: (title: string) => void;
  endGroup?: () => void;
}

/** Lines per log write: one runner log write per line is slow on large scans. */
const BLOCK_LINES = 1000;

/** The text report as blocks of lines (redacted), flushed at each fold marker and at the end. */
export function textInBlocks(result: ScanReport, out: TextBlocks): void {
  let block: string[] = [];
  const flush = (): void => {
    if (block.length) out.block(result.redactor.redact(block.join('\n')));
    block = [];
  };
  const { group, endGroup } = out;
  const sink: TextSink = {
    line: (t) => {
      block.push(t);
      if (block.length >= BLOCK_LINES) flush();
    },
  };
  if (group && endGroup) {
    sink.group = (title) => {
      flush();
      group(title);
    };
    sink.endGroup = () => {
      flush();
      endGroup();
    };
  }
  writeText(result, { color: false }, sink);
  flush();
}

/** The text report line by line (the CLI's terminal output). */
export function textLines(result: ScanReport, opts: TextStyle, sink: TextSink): void {
  writeText(result, opts, sink);
}

/** Writes SARIF through `write` (the caller's contained writer), with the run's times. */
export function sarifFile(
  path: string,
  result: ScanReport,
  opts: SarifOptions,
  write: (path: string, chunks: Iterable<string>) => void,
): SarifWritten {
  return writeSarif(path, result, { ...opts, times: runTimes(result) }, write);
}

/** SARIF for a stream such as stdout, fitted to the upload limits. */
export function sarifStream(result: ScanReport, opts: SarifOptions): { chunks: Iterable<string>; written: SarifWritten } {
  const fitted = fitSarif(result, { ...opts, times: runTimes(result) });
  return { chunks: coalesce(sarifChunks(result, fitted)), written: fitted.written };
}

/** The job summary in Markdown, with the SARIF file's omissions, redacted. */
export function summaryMarkdown(result: ScanReport, opts: SummaryOptions, written: SarifWritten): string {
  const markdown = renderSummary(result, opts);
  return result.redactor.redact(written.omitted.size > 0 ? `${markdown}\n${sarifOmittedLine(written)}\n` : markdown);
}

/** JSON, JUnit and GitLab reports as chunks (for files and stdout). */
export const jsonReport = (result: ScanReport): Iterable<string> => coalesce(jsonChunks(result));
export const junitReport = (result: ScanReport, failOn: FailOn): Iterable<string> => coalesce(junitChunks(result, failOn));
export const gitlabReport = (result: ScanReport): Iterable<string> => coalesce(gitlabChunks(result));

/** The baseline file of every current finding, and the fingerprints it records. */
export function baselineOf(result: ScanReport): { text: string; fingerprints: Set<string> } {
  return {
    text: baselineText(result.findings, (t) => result.redactor.redact(t)),
    fingerprints: new Set(baselineEntries(result.findings).map((e) => e.fingerprint)),
  };
}
