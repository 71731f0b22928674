/** db-optimize public library API. */
export { adviseIndexes, advisorFindings, migrationScript, runIndexAdvisor } from './advisor/index.ts';
export type { AdvisorOptions, AdvisorResult, IndexRecommendation } from './advisor/index.ts';
export { ANALYZERS, analyzerById } from './analyzers/registry.ts';
export { collectSnapshot } from './collect/collect-snapshot.ts';
export { Database, resolveConnection } from './collect/connection.ts';
export type { ConnectionOptions, Queryable } from './collect/connection.ts';
export { analyzeDatabase, defineAnalyzer, PHASES, runAnalyzers, silentLogger } from './engine/index.ts';
export type { Analyzer, AnalyzerContext, Logger, Phase, Requirements } from './engine/index.ts';
export { DbOptimizeError, EXIT } from './errors/index.ts';
export type * from './model/index.ts';
export { buildReport, render, renderJson, renderMarkdown, renderTerminal } from './render/index.ts';
export type { Format } from './render/index.ts';
export { fingerprintSql, initSqlParser, normalizeSql, parseSql, splitStatements } from './sql/index.ts';
export { HypopgEngine, SandboxEngine } from './whatif/index.ts';
export type { WhatIfEngine } from './whatif/index.ts';
export { estimatePercentiles, workloadFromPgStatStatements, workloadFromSql, workloadFromSqlFile } from './workload/index.ts';
export { VERSION } from './version.ts';
