import { adviseIndexes } from '../../../advisor/advise-indexes.ts';
import { advisorFindings } from '../../../advisor/advisor-findings.ts';
import { DEFAULT_KNEE_OPTIONS } from '../../../advisor/knee.ts';
import { defineAnalyzer } from '../../../engine/analyzer.ts';
import { SandboxWhatIf } from '../../../whatif/sandbox-what-if.ts';

/**
 * The OPTIMIZE-phase IndexAdvisor agent: the `indexes` command's advisor inside `full`. Its what-if
 * engine is HypoPG, or on a database that is ours (the demo) real builds in rolled-back
 * transactions; analyzers do no other I/O, so with HypoPG GIN/BRIN candidates stay unverified
 * proposals, and there is no time limit.
 */
export const indexAdvisor = defineAnalyzer({
  id: 'index-advisor',
  phase: 'optimize',
  title: 'Index advisor',
  description:
    'Workload-wide index selection: btree (multi-column, ordered), covering, partial, expression, GIN, trigram, full-text and BRIN candidates costed with HypoPG, chosen by benefit per byte net of write overhead; redundant indexes to drop.',
  depth: 3,
  requires: { workload: true, whatIf: true },
  options: {
    budgetMb: { default: 0, description: 'storage the new indexes may add, in MiB (0: no limit)' },
    maxIndexes: { default: 10, description: 'at most this many new indexes' },
    minImprovement: { default: 0.1, description: 'a new index must cut some statement’s cost by at least this fraction' },
    writeCostPerEntry: { default: 2, description: 'planner cost units charged per index entry written' },
    sandboxMaxMb: { default: 64, description: 'without HypoPG, on a database that is ours (the demo): largest table measured by a real build in a rolled-back transaction' },
    minMarginalGain: { default: 0.0025, description: 'the knee: a further index must save at least this fraction of the remaining workload cost' },
  },
  async run({ snapshot, workload, whatIf, options }) {
    if (workload === null || whatIf === null) return [];
    // a sandbox what-if (the demo without HypoPG) is measured by real builds, which the advisor labels as such
    const sandbox = whatIf instanceof SandboxWhatIf ? whatIf.engine : null;
    const sizes = new Map(snapshot.tables.map((t) => [t.qualifiedName, t.totalBytes]));
    const result = await adviseIndexes({
      snapshot,
      workload,
      whatIf: sandbox === null ? whatIf : null,
      sandbox,
      sandboxAllowed: (table) => sandbox !== null && (sizes.get(table) ?? Number.POSITIVE_INFINITY) <= options.sandboxMaxMb * 1048576,
      options: {
        budgetBytes: options.budgetMb > 0 ? options.budgetMb * 1048576 : Number.POSITIVE_INFINITY,
        maxIndexes: options.maxIndexes,
        minImprovement: options.minImprovement,
        writeCostPerEntry: options.writeCostPerEntry,
        knee: { ...DEFAULT_KNEE_OPTIONS, minMarginalGain: options.minMarginalGain },
      },
    });
    return advisorFindings(result, 'index-advisor');
  },
});
