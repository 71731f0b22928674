import { defineTip, ms, threshold, tipFinding } from './plan-tip.ts';

export const JIT_SHARE = 0.2;

export const jitOverheadTip = defineTip({
  id: 'plan-jit',
  title: 'JIT compilation is a large share of execution time',
  description: 'JIT compiling took ≥ 20 % of the execution time: for short queries its fixed cost outweighs faster expressions.',
  thresholds: {
    minShare: { default: JIT_SHARE, description: 'share of execution time the JIT compilation (per process) must take' },
    minMs: { default: 5, description: 'milliseconds of JIT compilation (per process) below which it is not reported' },
  },
  check(context) {
    const { plan } = context;
    const jit = plan.plan.jit;
    const exec = plan.plan.executionTimeMs;
    if (jit === null || exec === null || exec <= 0) return [];
    // EXPLAIN sums JIT time over the leader and its parallel workers, which compile at the same time:
    // the wall-clock stall is about the sum divided by the processes
    const workers = Math.max(0, ...plan.nodes.filter((n) => n.node.nodeType === 'Gather' || n.node.nodeType === 'Gather Merge').map((n) => n.node.workersLaunched ?? 0));
    const wallMs = jit.totalMs / (1 + workers);
    const share = wallMs / exec;
    if (share < threshold(context, this, 'minShare') || wallMs < threshold(context, this, 'minMs')) return [];
    const root = plan.nodes[0] ?? null;
    return [
      tipFinding(plan, {
        rule: 'plan-jit',
        node: root,
        title: `JIT took ${workers > 0 ? `~${ms(wallMs)} per process (${ms(jit.totalMs)} over ${workers + 1} processes)` : ms(jit.totalMs)} of ${ms(exec)} execution (${Math.round(share * 100)} %)`,
        savingMs: wallMs * 0.9,
        savingBasis:
          workers > 0
            ? `JIT time ÷ ${workers + 1} processes (leader and workers compile in parallel) × 0.9 (the expressions run interpreted instead)`
            : 'JIT time × 0.9 (the expressions run interpreted instead)',
        evidence: {
          jitFunctions: jit.functions,
          jitGenerationMs: jit.generationMs,
          jitInliningMs: jit.inliningMs,
          jitOptimizationMs: jit.optimizationMs,
          jitEmissionMs: jit.emissionMs,
          jitTotalMs: jit.totalMs,
          jitWallMs: Math.round(wallMs * 1000) / 1000,
          parallelWorkers: workers,
          executionMs: exec,
          planTotalCost: root?.node.totalCost ?? null,
          jitAboveCost: plan.plan.settings.jit_above_cost ?? 'default 100000',
        },
        description:
          `The plan's total cost (${Math.round(root?.node.totalCost ?? 0)}) crossed jit_above_cost, so PostgreSQL compiled ${jit.functions} functions with LLVM ` +
          `(${ms(jit.optimizationMs)} optimizing, ${ms(jit.inliningMs)} inlining, ${ms(jit.emissionMs)} emitting). For this query that compilation cost more than it saved.`,
        fix: {
          kind: 'config',
          content: `SET jit = off;  -- for this statement's session/role\n-- or raise the thresholds: jit_above_cost, jit_inline_above_cost, jit_optimize_above_cost`,
          safety: 'safe',
          verified: false,
          verification: 're-run with SET jit = off and compare Execution Time',
        },
      }),
    ];
  },
});
