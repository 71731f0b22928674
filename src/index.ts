/** db-optimize public library API. */
// One function per command, each returning a Report (see README "Library").
export {
  config,
  explain,
  full,
  indexes,
  logs,
  maintain,
  migrateLint,
  monitor,
  migratePlan,
  n1,
  pgbouncer,
  pool,
  profile,
  query,
  rewrite,
  schema,
  validate,
  mcp,
  defineFlow,
  runLibraryFlow,
  NEWEST_PG_MAJOR,
  parsePgVersion,
} from './flows/index.ts';
export type {
  ConfigOptions,
  ExplainOptions,
  Flow,
  FlowInput,
  FullOptions,
  IndexesOptions,
  LibraryContext,
  LogsOptions,
  LibraryOptions,
  McpOptions,
  MaintainOptions,
  MigrateLintOptions,
  MonitorOptions,
  MigratePlanOptions,
  N1FlowOptions,
  PgbouncerOptions,
  PoolOptions,
  ProfileOptions,
  QueryOptions,
  RewriteOptions,
  SchemaOptions,
  ValidateFlowOptions,
} from './flows/index.ts';
export { adviseIndexes, advisorFindings, migrationScript, runIndexAdvisor } from './advisor/index.ts';
export type { AdvisorOptions, AdvisorResult, IndexRecommendation } from './advisor/index.ts';
export { ANALYZERS, analyzerById } from './analyzers/registry.ts';
export { PROFILE_GROUPS } from './analyzers/profile/profile-sections.ts';
export type { FindingGroup } from './analyzers/profile/profile-sections.ts';
export { baselineStatements, reportStatements } from './analyzers/profile/report-statements.ts';
export type { ReportStatement } from './analyzers/profile/report-statements.ts';
export { collectSnapshot } from './collect/collect-snapshot.ts';
export { Database, resolveConnection } from './collect/connection.ts';
export type { ConnectionOptions, Queryable } from './collect/connection.ts';
export { analyzeDatabase, defineAnalyzer, PHASES, runAnalyzers, silentLogger } from './engine/index.ts';
export type { Analyzer, AnalyzerContext, Logger, Phase, Requirements } from './engine/index.ts';
export { DbOptimizeError, EXIT } from './errors/index.ts';
export {
  analyzePlan,
  comparePlans,
  defineTip,
  diagnoseQuery,
  enrichPlan,
  parsePlan,
  PLAN_TIPS,
  planSummary,
  renderPlanTree,
  runPlanTips,
  runPlanTipsWithProviders,
  verifyIndexTips,
} from './explain/index.ts';
export type { DiagnoseQueryOptions, EnrichedNode, EnrichedPlan, Plan, PlanAnalysis, QueryDiagnosis, PlanFindingProvider, PlanNode, PlanTip, PlanTipContext } from './explain/index.ts';
export type * from './model/index.ts';
export { buildReport, render, renderHtml, renderJson, renderMarkdown, renderSarif, renderTerminal } from './render/index.ts';
export type { RenderOptions, SarifOptions } from './render/index.ts';
export type { Format } from './render/index.ts';
export { rewriteStatement } from './rewrite/rewrite-statement.ts';
export type { StatementRewrites, StaticRewrite } from './rewrite/rewrite-statement.ts';
export { rewriteAndVerify } from './rewrite/rewrite-and-verify.ts';
export type { CheckedRewrite, RewriteOutcome } from './rewrite/rewrite-and-verify.ts';
export { verifyRewrite } from './rewrite/verify.ts';
export type { Verification, ResultComparison } from './rewrite/verify.ts';
export { REWRITE_RULES } from './rewrite/rules/index.ts';
export type { RewriteRule, RewriteCandidate, Precondition } from './rewrite/rule.ts';
export { schemaFactsFromSnapshot } from './rewrite/schema-facts.ts';
export type { SchemaFacts } from './rewrite/schema-facts.ts';
export { fingerprintSql, initSqlParser, normalizeSql, parseSql, splitStatements } from './sql/index.ts';
export { HypopgEngine, SandboxEngine } from './whatif/index.ts';
export type { WhatIfEngine } from './whatif/index.ts';
export { estimatePercentiles, workloadFromPgStatStatements, workloadFromSql, workloadFromSqlFile } from './workload/index.ts';
export { runLogs } from './logs/index.ts';
export type { LogsSummary, LogsStatement, RunLogsOptions } from './logs/index.ts';
export { DEFAULT_THRESHOLDS, N1Detector, ORMS, runN1, startOtlpReceiver, unitsToOtlp } from './n1/index.ts';
export type { DetectionThresholds, N1Options, N1Result, N1Rule, N1Sources, Orm, QueryEvent, QueryUnit } from './n1/index.ts';
export { VERSION } from './version.ts';
export { auditSettings } from './config/audit-settings.ts';
export type { SettingAudit } from './config/audit-settings.ts';
export { recommendConfig } from './config/recommend-config.ts';
export type { ConfigPlan, MemoryCheck, SettingRecommendation, TunerInput } from './config/recommend-config.ts';
export { alterSystemStatements, postgresqlConfSnippet, undoStatements } from './config/render-config.ts';
export type { Hardware, StorageType, WorkloadType } from './config/hardware.ts';
export { connectionProfile } from './pool/connection-profile.ts';
export type { ConnectionProfile } from './pool/connection-profile.ts';
export { sizePool } from './pool/size-pool.ts';
export type { FleetInput, PoolPlan } from './pool/size-pool.ts';
export { appPoolSettings } from './pool/app-pool-settings.ts';
export type { AppPoolSettings } from './pool/app-pool-settings.ts';
export { generatePgbouncerConfig } from './pgbouncer/generate-pgbouncer-config.ts';
export type { PgbouncerInput, PgbouncerPlan } from './pgbouncer/generate-pgbouncer-config.ts';
export { scanTransactionPooling } from './pgbouncer/scan-transaction-pooling.ts';
export type { Breaker, BreakerKind, ScannedStatement } from './pgbouncer/scan-transaction-pooling.ts';
export { lintMigration } from './migrate/lint/lint-migration.ts';
export type { LintOptions, LintResult, LintViolation } from './migrate/lint/lint-migration.ts';
export { LINT_RULES } from './migrate/lint/lint-rules.ts';
export { buildPlan } from './migrate/plan/build-plan.ts';
export { parseChange } from './migrate/plan/parse-change.ts';
export { applyPlan } from './migrate/plan/apply-plan.ts';
export { renderPlanFiles } from './migrate/plan/plan-formats.ts';
export type { MigrationPlan, PlanStep } from './migrate/plan/plan-types.ts';
export { snapshotFromDdl } from './schema-review/ddl-snapshot.ts';
export { timeSeriesDesign } from './schema-review/timeseries-design.ts';
export { verifySchemaFindings } from './schema-review/verify-schema-findings.ts';
