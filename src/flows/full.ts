import type { Report } from '../model/index.ts';
import { defineFlow, runLibraryFlow } from './flow.ts';
import type { LibraryContext, LibraryOptions } from './flow.ts';
import { BASELINE_OPTION, runAnalysis } from './run-analysis.ts';

export const FULL_OPTIONS = { ...BASELINE_OPTION } as const;

/** Every analyzer, phase by phase, up to --depth (default 5). */
export const fullFlow = defineFlow({
  name: 'full',
  common: ['connection', 'report', 'analysis'],
  options: FULL_OPTIONS,
  configKeys: ['analyzers'],
  run: (input) => runAnalysis(input, 'full', undefined, 5),
});

export type FullOptions = LibraryOptions<typeof FULL_OPTIONS>;

export function full(options: FullOptions = {}, context?: LibraryContext): Promise<Report> {
  return runLibraryFlow(fullFlow, options, context);
}
