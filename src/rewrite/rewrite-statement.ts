import { DbOptimizeError } from '../errors/index.ts';
import { fingerprintSql, parseSql, tryParseSql } from '../sql/index.ts';
import type { Ast } from './ast.ts';
import { nodeType, sqlOf } from './ast.ts';
import { formatSql } from './format-sql.ts';
import type { RejectedRewrite, RewriteCandidate, RewriteRule, RuleOptions } from './rule.ts';
import { REWRITE_RULES } from './rules/index.ts';
import type { SchemaFacts } from './schema-facts.ts';

export interface StaticRewrite extends RewriteCandidate {
  /** formatted rewritten statement */
  readonly afterFormatted: string | null;
}

export interface StatementRewrites {
  readonly original: string;
  readonly originalFormatted: string;
  readonly fingerprint: string | null;
  readonly statementType: string;
  readonly candidates: readonly StaticRewrite[];
  readonly rejected: readonly RejectedRewrite[];
  /** set when no rule produced a candidate */
  readonly noRuleReason: string | null;
}

export interface RewriteStatementOptions {
  readonly facts: SchemaFacts | null;
  readonly rules?: readonly RewriteRule[];
  readonly options?: Partial<RuleOptions>;
  /** shown in parse errors ("--file q.sql") */
  readonly origin?: string;
}

export const DEFAULT_IN_LIST_THRESHOLD = 50;

/** Parses one statement and runs every rule over it. Pure: no database access. */
export function rewriteStatement(sql: string, options: RewriteStatementOptions): StatementRewrites {
  const parsed = parseSql(sql, options.origin ?? 'the statement');
  const stmts = parsed.stmts ?? [];
  if (stmts.length !== 1) {
    throw new DbOptimizeError('E_REWRITE_INPUT', 'input', `expected exactly one statement, got ${stmts.length}`, {
      hint: 'pass one statement at a time (workloads go through the optimize phase of `full`)',
    });
  }
  const stmt: Ast = stmts[0]?.stmt;
  const type = nodeType(stmt) ?? 'unknown';
  const originalCompact = sqlOf(stmt);
  const base = {
    original: sql.trim(),
    originalFormatted: formatSql(originalCompact),
    fingerprint: fingerprintSql(sql),
    statementType: type,
  };
  if (type !== 'SelectStmt') {
    return { ...base, candidates: [], rejected: [], noRuleReason: `no rule applies: only SELECT statements are rewritten (this is ${type.replace(/Stmt$/, '').toUpperCase()})` };
  }
  const ruleOptions: RuleOptions = { inListThreshold: DEFAULT_IN_LIST_THRESHOLD, ...options.options };
  const candidates: StaticRewrite[] = [];
  const rejected: RejectedRewrite[] = [];
  for (const rule of options.rules ?? REWRITE_RULES) {
    let outcomes;
    try {
      outcomes = rule.apply({ sql, stmt, facts: options.facts, options: ruleOptions });
    } catch (error) {
      rejected.push({ rule: rule.id, reason: `rule failed on this statement: ${(error as Error).message}`, preconditions: [] });
      continue;
    }
    for (const o of outcomes) {
      if (o.kind === 'rejected') {
        const { kind: _kind, ...r } = o;
        rejected.push(r);
        continue;
      }
      const { kind: _kind, ...c } = o;
      if (c.after !== null && !tryParseSql(c.after).ok) {
        rejected.push({ rule: c.rule, reason: 'the rewritten statement does not parse (internal rule error); not shown', preconditions: c.preconditions });
        continue;
      }
      const failed = c.preconditions.find((p) => p.holds === false);
      if (failed !== undefined) {
        rejected.push({ rule: c.rule, reason: `precondition does not hold: ${failed.fact}`, preconditions: c.preconditions });
        continue;
      }
      candidates.push({ ...c, afterFormatted: c.after === null ? null : formatSql(c.after) });
    }
  }
  return {
    ...base,
    candidates,
    rejected,
    noRuleReason: candidates.length > 0 ? null : rejected.length > 0 ? 'no rule applies: the rules that matched were rejected (see why below)' : 'no rule applies to this statement',
  };
}
