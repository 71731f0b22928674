export { pgStatStatementsStatus, workloadFromPgStatStatements } from './from-pg-stat-statements.ts';
export type { PgStatStatementsOptions } from './from-pg-stat-statements.ts';
export { workloadFromSql, workloadFromSqlFile } from './from-sql-file.ts';
export { estimatePercentiles } from './percentiles.ts';
