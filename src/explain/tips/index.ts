import type { PlanTip } from './plan-tip.ts';
import { aggregateAfterJoinTip } from './aggregate-after-join.ts';
import { cteFenceTip } from './cte-fence.ts';
import { diskSpillTip } from './disk-spill.ts';
import { functionPerRowTip } from './function-per-row.ts';
import { functionRescanTip } from './function-rescan.ts';
import { joinFilterAnyArrayTip } from './join-filter-any-array.ts';
import { indexHeapIoTip } from './index-heap-io.ts';
import { sortByIndexTip } from './sort-by-index.ts';
import { heapFetchesTip } from './heap-fetches.ts';
import { indexFilterTip } from './index-filter.ts';
import { jitOverheadTip } from './jit-overhead.ts';
import { lossyBitmapTip } from './lossy-bitmap.ts';
import { nestedLoopInnerScanTip } from './nested-loop-inner-scan.ts';
import { nonSargableExpressionTip } from './non-sargable-expression.ts';
import { planningTimeTip } from './planning-time.ts';
import { rowMisestimateTip } from './row-misestimate.ts';
import { seqScanFilterTip } from './seq-scan-filter.ts';
import { slowTriggerTip } from './slow-trigger.ts';
import { sortLimitTip } from './sort-limit.ts';
import { workersNotLaunchedTip } from './workers-not-launched.ts';

/** Every built-in plan tip; the engine runs them all and ranks their findings by time saved. */
export const PLAN_TIPS: readonly PlanTip[] = [
  seqScanFilterTip,
  indexFilterTip,
  rowMisestimateTip,
  diskSpillTip,
  lossyBitmapTip,
  heapFetchesTip,
  nestedLoopInnerScanTip,
  sortLimitTip,
  workersNotLaunchedTip,
  jitOverheadTip,
  planningTimeTip,
  slowTriggerTip,
  nonSargableExpressionTip,
  cteFenceTip,
  aggregateAfterJoinTip,
  functionRescanTip,
  joinFilterAnyArrayTip,
  functionPerRowTip,
  indexHeapIoTip,
  sortByIndexTip,
];

export { defineTip, threshold, tipFinding, nodeLabel } from './plan-tip.ts';
export type { PlanTipThreshold, PlanCatalog, PlanCatalogForeignKey, PlanCatalogIndex, PlanTip, PlanTipContext } from './plan-tip.ts';
