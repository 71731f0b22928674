import { createHash } from 'node:crypto';
import type { Finding } from '../../model/index.ts';
import type { LintResult, LintViolation } from './lint-migration.ts';
import { lintRule } from './lint-rules.ts';

const SCORE = { critical: 100, warning: 10, info: 1, reminder: 0.1 } as const;

/** A lint violation as a report Finding (terminal, JSON and markdown renderers then apply). */
export function violationToFinding(v: LintViolation): Finding {
  const rule = lintRule(v.rule);
  return {
    rule: v.rule,
    severity: v.severity,
    title: `${v.file}:${v.line} ${rule.title}`,
    target: { kind: 'file', location: `${v.file}:${v.line}:${v.column}` },
    evidence: {
      level: v.level,
      file: v.file,
      line: v.line,
      column: v.column,
      statement: v.statement,
      lock: v.lock,
      duration: v.duration,
      squawkRule: rule.squawk[0] ?? null,
      strongMigrationsCheck: rule.strongMigrations ?? null,
    },
    impact: {
      score: SCORE[v.level],
      summary: v.message,
    },
    description: v.why,
    fix: {
      kind: 'migration',
      content: v.recipe,
      safety: 'review',
      verified: false,
      verification: 'static lint of the migration text; the recipe is the standard safe pattern, not run against a database',
      language: 'sql',
    },
  };
}

export interface LintSummary {
  readonly pgVersion: number;
  readonly assumeInTransaction: boolean;
  readonly files: readonly { readonly file: string; readonly statements: number; readonly violations: number; readonly suppressed: number }[];
  readonly suppressed: readonly { readonly file: string; readonly rule: string; readonly line: number }[];
}

export function lintSummary(results: readonly LintResult[], pgVersion: number, assumeInTransaction: boolean): LintSummary {
  return {
    pgVersion,
    assumeInTransaction,
    files: results.map((r) => ({ file: r.file, statements: r.statements, violations: r.violations.length, suppressed: r.suppressed.length })),
    suppressed: results.flatMap((r) => r.suppressed.map((s) => ({ file: r.file, ...s }))),
  };
}

function escapeGithub(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeGithubProperty(s: string): string {
  return escapeGithub(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub Actions workflow commands: one ::error/::warning/::notice per violation (info and reminders are notices). */
export function renderGithub(violations: readonly LintViolation[]): string {
  const level = { critical: 'error', warning: 'warning', info: 'notice' } as const;
  return violations
    .map((v) => {
      const title = `${v.rule}: ${lintRule(v.rule).title}`;
      const body = `${v.message}${v.lock === null ? '' : ` [lock: ${v.lock}]`}\nWhy: ${v.why}\nSafe recipe: ${v.recipe}`;
      return `::${level[v.severity]} file=${escapeGithubProperty(v.file)},line=${v.line},endLine=${v.endLine},col=${v.column},title=${escapeGithubProperty(title)}::${escapeGithub(body)}\n`;
    })
    .join('');
}

/** GitLab Code Quality report (an array of Code Climate issues). */
export function renderGitlab(violations: readonly LintViolation[]): string {
  const severity = { critical: 'critical', warning: 'major', info: 'minor', reminder: 'info' } as const;
  const issues = violations.map((v) => ({
    description: `${v.rule}: ${v.message}`,
    check_name: v.rule,
    fingerprint: createHash('sha256').update(`${v.file}:${v.line}:${v.rule}:${v.message}`).digest('hex'),
    severity: severity[v.level],
    location: { path: v.file, lines: { begin: v.line, end: v.endLine } },
  }));
  return `${JSON.stringify(issues, null, 2)}\n`;
}
