import { baselineMetrics, baselineSection } from '../analyzers/profile/baseline-metrics.ts';
import { PROFILE_GROUPS } from '../analyzers/profile/profile-sections.ts';
import { reportStatements } from '../analyzers/profile/report-statements.ts';
import type { Report } from '../model/index.ts';
import type { FullOptions } from './full.ts';
import { defineFlow, runLibraryFlow } from './flow.ts';
import type { LibraryContext } from './flow.ts';
import { BASELINE_OPTION, runAnalysis } from './run-analysis.ts';

export const PROFILE_OPTIONS = { ...BASELINE_OPTION } as const;

/** The PROFILE phase (default depth 3) with the profile groups, baseline metrics and top statements. */
export const profileFlow = defineFlow({
  name: 'profile',
  common: ['connection', 'report', 'analysis'],
  options: PROFILE_OPTIONS,
  configKeys: ['analyzers'],
  run: (input) =>
    runAnalysis(input, 'profile', ['profile'], 3, ({ report, snapshot, workload }) => {
      const metrics = baselineMetrics(snapshot, workload);
      return {
        groups: PROFILE_GROUPS,
        baselineMetrics: metrics,
        sections: [...(report.sections ?? []), baselineSection(metrics)],
        ...(workload === null ? {} : { statements: reportStatements(workload) }),
      };
    }),
});

export type ProfileOptions = FullOptions;

export function profile(options: ProfileOptions = {}, context?: LibraryContext): Promise<Report> {
  return runLibraryFlow(profileFlow, options, context);
}
