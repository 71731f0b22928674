import type { Report } from '../model/index.ts';
import { compareFindings } from '../render/compare-findings.ts';
import { defineFlow, runLibraryFlow } from './flow.ts';
import type { FlowInput, LibraryContext, LibraryOptions } from './flow.ts';
import { flag } from './flow-input.ts';
import { BASELINE_OPTION, runAnalysis } from './run-analysis.ts';
import { runValidate, VALIDATE_OPTIONS } from './validate.ts';

const { workload: _workload, ...VALIDATE_REPLAY_OPTIONS } = VALIDATE_OPTIONS;

export const FULL_OPTIONS = {
  ...BASELINE_OPTION,
  validate: {
    type: 'boolean',
    description: 'then apply the advice on a copy of the database and replay the workload before and after (see validate --help)',
  },
  ...VALIDATE_REPLAY_OPTIONS,
} as const;

/**
 * Every analyzer, phase by phase, up to --depth (default 5); with --validate the advice is then
 * applied on a copy and measured. The analysis session is closed first: the copy needs the source
 * without other sessions.
 */
async function runFull(input: FlowInput): Promise<Report> {
  const report = await runAnalysis(input, 'full', undefined, 5);
  if (!flag(input, 'validate')) return report;
  const checked = await runValidate(input);
  return {
    ...report,
    findings: [...report.findings, ...checked.findings].sort(compareFindings),
    sections: [...(report.sections ?? []), ...(checked.sections ?? [])],
    skipped: [...report.skipped, ...checked.skipped],
    validation: checked.validation,
  };
}

export const fullFlow = defineFlow({
  name: 'full',
  common: ['connection', 'report', 'analysis'],
  options: FULL_OPTIONS,
  configKeys: ['analyzers'],
  run: runFull,
});

export type FullOptions = LibraryOptions<typeof FULL_OPTIONS>;

export function full(options: FullOptions = {}, context?: LibraryContext): Promise<Report> {
  return runLibraryFlow(fullFlow, options, context);
}
