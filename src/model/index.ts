export type * from './finding.ts';
export { SEVERITY_RANK } from './finding.ts';
export type * from './report.ts';
export type * from './snapshot.ts';
export type * from './workload.ts';
export type * from './rule-definition.ts';
export type * from './problem.ts';
export type * from './scorecard.ts';
