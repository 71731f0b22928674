import { quoteIdent } from '../../format/format.ts';
import type { BackfillSpec, MigrationPlan, StepDuration } from './plan-types.ts';
import type { TableFacts } from './table-facts.ts';
import { requoteQualified, withSuffix } from '../../sql/quote.ts';

export interface PlanOptions {
  readonly pgVersion: number;
  readonly lockTimeoutMs: number;
  readonly statementTimeoutMs: number;
  readonly batchSize: number;
  readonly sleepMs: number;
  readonly retries: number;
  readonly facts: TableFacts | null;
  /** key column given with --key when there is no database to ask */
  readonly key?: string;
}

/** A step before numbering and timeouts are applied. */
export interface StepDraft {
  title: string;
  sql: string;
  lock: string;
  duration: StepDuration;
  transactional?: boolean;
  rollback: string;
  notes?: string[];
  backfill?: BackfillSpec;
  manual?: boolean;
  /** long-running but non-blocking steps get no statement timeout */
  longRunning?: boolean;
}

/** What every change planner gets: the table (quoted and bare), the facts and a backfill builder. */
export interface PlanContext {
  readonly pg: number;
  readonly facts: TableFacts | null;
  readonly options: PlanOptions;
  /** quoted, possibly schema-qualified */
  readonly table: string;
  /** unqualified, unquoted table name (for generated object names) */
  readonly bare: string;
  readonly assumptions: string[];
  backfill(set: string, pending: string): BackfillSpec;
}

/** What a change planner returns. */
export interface KindPlan {
  readonly description: string;
  readonly naive: MigrationPlan['naive'];
  readonly drafts: StepDraft[];
}

/** Quotes a possibly schema-qualified name. */
// names may arrive quoted ("My Schema"."Order Items"): split them the way the server does
export const q = (name: string): string => (name.includes('"') ? requoteQualified(name) : name.split('.').map(quoteIdent).join('.'));

/** A generated object name within PostgreSQL's 63-byte limit, its suffix kept (hashed when cut). */
export const objectName = (name: string, suffix = ''): string => withSuffix(name, suffix);

export function triggerKeyword(pg: number): string {
  return pg >= 11 ? 'FUNCTION' : 'PROCEDURE';
}

/** The manual "deploy code" step that separates expand from contract; apply stops before it. */
export function deployStep(what: string): StepDraft {
  return { title: `Deploy code that ${what}`, sql: '', lock: 'none', duration: 'deploy', rollback: '-- redeploy the previous release', manual: true };
}

/** A SQL string literal (standard_conforming_strings on: only quotes are doubled). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
