import type { SkippedAnalyzer, Snapshot } from '../model/index.ts';

/** Catalog parts without which a report would be a false "all clean". */
const ESSENTIAL_PARTS = new Set(['tables', 'columns', 'indexes', 'constraints']);
export const COLLECT_PREFIX = 'collect:';
/** A step of the command that failed (an index --create could not build): the run must not exit 0. */
export const FAILED_PREFIX = 'failed:';

/**
 * What the snapshot could not read (a lock timeout behind an ACCESS EXCLUSIVE lock, missing
 * privileges) as `skipped` entries, so a report never looks complete when it is not.
 */
export function collectionSkips(snapshot: Snapshot | null): SkippedAnalyzer[] {
  const seen = new Set<string>();
  const out: SkippedAnalyzer[] = [];
  for (const issue of snapshot?.issues ?? []) {
    if (seen.has(issue.part)) continue;
    seen.add(issue.part);
    out.push({ analyzer: `${COLLECT_PREFIX}${issue.part}`, reason: `could not read ${issue.part}: ${issue.message}` });
  }
  return out;
}

/** The skipped entries that mean the command could not do its job (it must not exit 0). */
export function incompleteCollection(skipped: readonly SkippedAnalyzer[]): SkippedAnalyzer[] {
  return skipped.filter((s) => s.analyzer.startsWith(FAILED_PREFIX) || (s.analyzer.startsWith(COLLECT_PREFIX) && ESSENTIAL_PARTS.has(s.analyzer.slice(COLLECT_PREFIX.length))));
}
