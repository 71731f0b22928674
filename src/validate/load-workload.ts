import { Database } from '../collect/connection.ts';
import { DbOptimizeError } from '../errors/index.ts';
import type { Workload } from '../model/index.ts';
import { initSqlParser } from '../sql/index.ts';
import { workloadFromPgStatStatements } from '../workload/from-pg-stat-statements.ts';
import { workloadFromSqlFile } from '../workload/from-sql-file.ts';
import type { LogValueSets } from './log-workload.ts';
import { workloadFromLog } from './log-workload.ts';

export interface WorkloadChoice {
  readonly workloadFile?: string;
  readonly logFile?: string;
  readonly url?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly statementTimeoutMs?: number;
  readonly minCalls?: number;
  readonly onProgress?: (message: string) => void;
}

export interface ValidateWorkload {
  readonly workload: Workload;
  /** parameter values per fingerprint, when the log recorded them */
  readonly valueSets: LogValueSets;
}

/**
 * The workload to replay: a SQL file, a log, or pg_stat_statements of the source (read in one
 * read-only session that is closed before the copy is made — the copy needs the source to itself).
 */
export async function loadValidateWorkload(choice: WorkloadChoice): Promise<ValidateWorkload> {
  await initSqlParser();
  if (choice.workloadFile !== undefined && choice.logFile !== undefined) {
    throw new DbOptimizeError('E_USAGE', 'usage', 'give either --workload FILE or --log FILE, not both');
  }
  if (choice.workloadFile !== undefined) return { workload: await workloadFromSqlFile(choice.workloadFile), valueSets: new Map() };
  if (choice.logFile !== undefined) return workloadFromLog(choice.logFile);
  const db = await Database.connect({
    url: choice.url,
    env: choice.env,
    maxConnections: 1,
    ...(choice.statementTimeoutMs === undefined ? {} : { statementTimeoutMs: choice.statementTimeoutMs }),
  });
  try {
    const w = await workloadFromPgStatStatements(db, {
      ...(choice.minCalls === undefined ? {} : { minCalls: choice.minCalls }),
      ...(choice.onProgress === undefined ? {} : { onProgress: choice.onProgress }),
    });
    if (w.statements.length === 0) {
      throw new DbOptimizeError('E_EMPTY_WORKLOAD', 'input', `pg_stat_statements has no statements for ${db.databaseName}: there is nothing to replay`, {
        hint: 'let the application run for a while, or pass --workload FILE.sql (or --log FILE)',
      });
    }
    return { workload: w, valueSets: new Map() };
  } catch (error) {
    if (error instanceof DbOptimizeError && error.code === 'E_NO_PGSS') {
      throw new DbOptimizeError('E_NO_PGSS', 'config', `${error.message}; or give the workload to replay with --workload FILE.sql or --log FILE`);
    }
    throw error;
  } finally {
    await db.close();
  }
}
