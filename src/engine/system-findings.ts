/**
 * The one door for findings the engine makes itself (file-error, parse-error, duplicate-key,
 * internal-error, not-rendered, render-failed and the suppression rules): a typed argument
 * object names the rule, one of its message ids and that message's data, so a wrong id or a
 * missing placeholder does not compile.
 */
import type { At, MessageData, SystemRule } from '../rule.js';
import type { SourceFile } from '../parse/source.js';
import { rangeOf } from '../parse/source.js';
import type { Level, Range } from '../types.js';
import type { Collector } from './collector.js';
import type { CheckPlan } from './plan.js';

/** Any engine-made rule. */
export type AnySystemRule = SystemRule<string, Readonly<Record<string, string>>>;

/** The rule's own message templates (not `RuleMeta`'s index signature, which would let any id through). */
type MessagesOf<R extends AnySystemRule> = R extends SystemRule<string, infer M> ? M : never;

/** The start of a file: where a finding about the whole file points. */
const START_OF_FILE: Range = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };

/**
 * Where an engine finding points: in a file being checked (at a node, a pair or a range), or in a
 * file named by its root-relative path (at a range). Without `at`, the start of the file.
 */
export type Place = { file: SourceFile; at?: At } | { file: string; at?: Range };

/** An engine finding: the rule, a message id of that rule, its data, where, and what it is about. */
export type SystemFinding<R extends AnySystemRule, K extends keyof MessagesOf<R> & string> = Place & {
  rule: R;
  message: K;
  data: MessageData<MessagesOf<R>[K]>;
  identity?: string;
  /** The level this finding asks for instead of the rule's default (a configured level still wins). */
  level?: Level;
};

/** Reports engine findings into one collector, at the levels the plan gives the engine's rules. */
export class SystemFindings {
  constructor(
    private readonly plan: Pick<CheckPlan, 'system'>,
    private readonly out: Collector,
  ) {}

  /** True when the plan reports this rule's findings. */
  on(rule: AnySystemRule): boolean {
    return (this.plan.system[rule.meta.id]?.level ?? 'off') !== 'off';
  }

  report<R extends AnySystemRule, K extends keyof MessagesOf<R> & string>(f: SystemFinding<R, K>): void {
    const planned = this.plan.system[f.rule.meta.id];
    if (!planned || planned.level === 'off') return;
    const path = typeof f.file === 'string' ? f.file : f.file.path;
    const range = !f.at ? START_OF_FILE : typeof f.file === 'string' ? (f.at as Range) : rangeOf(f.file, f.at);
    this.out.add({ rule: f.rule, level: planned.level, ...(planned.configured ? { configured: planned.configured } : {}) }, path, range, {
      messageId: f.message,
      data: f.data as Record<string, string | number>,
      ...(f.identity !== undefined ? { identity: f.identity } : {}),
      ...(f.level ? { level: f.level } : {}),
    });
  }
}
