import { parseSync } from 'libpg-query';
import { DbOptimizeError } from '../../errors/index.ts';
import { initSqlParser } from '../../sql/index.ts';
import { describeParseError } from '../../sql/parser.ts';
import { unwrap } from '../pg-ast.ts';
import { lintRule, resolveRuleName } from './lint-rules.ts';
import { LintState } from './lint-state.ts';
import type { LintLevel, LintOptions, LintResult, LintViolation, ReportExtra, StatementContext } from './lint-types.ts';
import { LEVEL_SEVERITY } from './lint-types.ts';
import { RULE_MODULES } from './rules/index.ts';
import { statementInfo } from './statement-info.ts';
import { statementSpans } from './statement-spans.ts';
import type { StatementSpan } from './statement-spans.ts';

export type { DurationClass, LintLevel, LintOptions, LintResult, LintViolation } from './lint-types.ts';

const SUPPRESS = /(?:db-optimize-ignore|squawk-ignore)(-file)?(?:\s+|$)([\w\s,-]*)/i;

/** Parses and lints one migration; throws E_SQL_PARSE with file:line:column when it does not parse. */
export async function lintMigration(source: string, options: LintOptions): Promise<LintResult> {
  await initSqlParser();
  let parsed: { stmts?: unknown[] };
  try {
    parsed = parseSync(source) as { stmts?: unknown[] };
  } catch (error) {
    const d = describeParseError(source, error);
    const at = d.line === null ? '' : `:${d.line}:${d.column}`;
    throw new DbOptimizeError('E_SQL_PARSE', 'input', `${options.file}${at}: migration does not parse as PostgreSQL: ${d.message}`, {
      hint: 'db-optimize lints PostgreSQL migrations (PostgreSQL 18 grammar); MySQL/SQLite syntax and psql meta-commands are not accepted.',
      details: { file: options.file, line: d.line, column: d.column },
      cause: error,
    });
  }
  return lintStatements(source, statementSpans(source, parsed.stmts ?? []), options);
}

function ruleNames(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .filter((s) => s !== '')
    .flatMap(resolveRuleName);
}

/** Rules silenced for the whole file (null: all of them). */
function fileSuppressions(source: string): Set<string> | null {
  const ids = new Set<string>();
  for (const m of source.matchAll(new RegExp(SUPPRESS.source, 'gi'))) {
    if (m[1] === undefined) continue;
    const names = ruleNames(m[2] ?? '');
    if ((m[2] ?? '').trim() === '') return null;
    for (const id of names) ids.add(id);
  }
  return ids;
}

function statementSuppressions(span: StatementSpan): Set<string> {
  const ids = new Set<string>();
  for (const c of span.leadingComments) {
    const m = SUPPRESS.exec(c);
    if (m !== null && m[1] === undefined) for (const id of ruleNames(m[2] ?? '')) ids.add(id);
  }
  return ids;
}

/** Collects violations, applying exclusions, suppressions and once-per-file rules. */
class Collector {
  readonly violations: LintViolation[] = [];
  readonly suppressed: { rule: string; line: number }[] = [];
  private readonly once = new Set<string>();

  constructor(
    private readonly options: LintOptions,
    private readonly excluded: ReadonlySet<string>,
    private readonly fileIgnores: ReadonlySet<string> | null,
  ) {}

  add(rule: string, span: StatementSpan, ignores: ReadonlySet<string>, message: string, base: { lock: string | null; duration: LintViolation['duration'] }, extra: ReportExtra = {}): void {
    const meta = lintRule(rule);
    if (this.excluded.has(rule)) return;
    if (this.fileIgnores === null || this.fileIgnores.has(rule) || ignores.has(rule)) {
      this.suppressed.push({ rule, line: span.line });
      return;
    }
    if (extra.oncePerFile === true) {
      if (this.once.has(rule)) return;
      this.once.add(rule);
    }
    if (this.violations.some((v) => v.rule === rule && v.line === span.line && v.message === message)) return;
    const level: LintLevel = extra.level ?? meta.level;
    this.violations.push({
      rule,
      severity: LEVEL_SEVERITY[level],
      level,
      file: this.options.file,
      line: span.line,
      column: span.column,
      endLine: span.endLine,
      statement: span.text.length > 240 ? `${span.text.slice(0, 237)}...` : span.text,
      lock: extra.lock ?? base.lock,
      duration: extra.duration ?? base.duration,
      message,
      why: meta.why,
      recipe: extra.recipe ?? meta.recipe,
    });
  }
}

function lintStatements(source: string, spans: readonly StatementSpan[], options: LintOptions): LintResult {
  const excluded = new Set((options.exclude ?? []).flatMap(resolveRuleName));
  const out = new Collector(options, excluded, fileSuppressions(source));
  const state = new LintState(options.assumeInTransaction === true, options.columnTypes);
  for (const span of spans) {
    const un = unwrap(span.node);
    if (un === undefined) continue;
    const [kind, node] = un;
    const ignores = statementSuppressions(span);
    const info = statementInfo(kind, node, state);
    for (const rule of RULE_MODULES) {
      const ctx: StatementContext = {
        kind,
        node,
        span,
        pg: options.pgVersion,
        state,
        info,
        inTransaction: state.inTransaction,
        existing: (relation) => state.existing(relation),
        report: (message, extra) => out.add(rule.meta.id, span, ignores, message, info, extra),
      };
      rule.check(ctx);
    }
    state.apply(kind, node, span);
  }
  for (const rule of RULE_MODULES) {
    rule.finish?.({ state, report: (span, message) => out.add(rule.meta.id, span, new Set(), message, { lock: null, duration: null }) });
  }
  const violations = out.violations.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
  return { file: options.file, statements: spans.length, violations, suppressed: out.suppressed };
}
