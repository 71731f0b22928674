export { adviseIndexes, DEFAULT_ADVISOR_OPTIONS } from './advise-indexes.ts';
export type { AdviseInput, AdvisorOptions } from './advise-indexes.ts';
export { advisorFindings } from './advisor-findings.ts';
export { migrationScript } from './migration-script.ts';
export { advisorReportFields } from './report-fields.ts';
export { runIndexAdvisor } from './run-index-advisor.ts';
export type { IndexAdvisorRun, RunIndexAdvisorOptions } from './run-index-advisor.ts';
export type { AdvisorResult, Candidate, DropRecommendation, IndexProposal, IndexRecommendation, StatementDecision } from './types.ts';
