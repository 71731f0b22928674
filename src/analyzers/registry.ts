import type { Analyzer } from '../engine/analyzer.ts';
import { cacheHitRatio } from './profile/cache-hit-ratio/index.ts';
import { duplicateIndexes } from './profile/duplicate-indexes/index.ts';
import { indexAdvisor } from './optimize/index-advisor/index.ts';
import { fkWithoutIndex } from './profile/fk-without-index/index.ts';
import { indexHitRatio } from './profile/index-hit-ratio/index.ts';
import { topStatements } from './profile/top-statements/index.ts';
import { unusedIndexes } from './profile/unused-indexes/index.ts';

/** Every analyzer, explicitly listed: the order here is the order in docs, not in reports. */
export const ANALYZERS: readonly Analyzer[] = [
  topStatements,
  cacheHitRatio,
  indexHitRatio,
  unusedIndexes,
  duplicateIndexes,
  fkWithoutIndex,
  indexAdvisor,
];

export function analyzerById(id: string): Analyzer | undefined {
  return ANALYZERS.find((a) => a.id === id);
}
