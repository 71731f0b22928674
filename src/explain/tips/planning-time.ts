import { defineTip, ms, tipFinding } from './plan-tip.ts';

export const planningTimeTip = defineTip({
  id: 'plan-planning-time',
  title: 'Planning takes longer than execution',
  description: 'Planning time exceeds execution time (and ≥ 1 ms): many joins, many partitions or large IN lists make the planner the bottleneck.',
  check({ plan }) {
    const planning = plan.plan.planningTimeMs;
    const exec = plan.plan.executionTimeMs;
    if (planning === null || exec === null || planning <= exec || planning < 1) return [];
    const root = plan.nodes[0] ?? null;
    const tables = new Set(plan.nodes.map((n) => n.relation).filter((r) => r !== null)).size;
    const scans = plan.nodes.filter((n) => n.relation !== null).length;
    // the report's total is execution only; planning adds to it
    const finding = tipFinding(
      { ...plan, totalMs: planning + exec },
      {
        rule: 'plan-planning-time',
        node: root,
        title: `Planning took ${ms(planning)}, execution ${ms(exec)}`,
        savingMs: planning * 0.9,
        savingBasis: 'planning time × 0.9 (a reused prepared statement skips planning)',
        evidence: { planningMs: planning, executionMs: exec, relationsScanned: scans, distinctRelations: tables, planningBuffers: plan.plan.planningBuffers === null ? null : plan.plan.planningBuffers.sharedHit + plan.plan.planningBuffers.sharedRead },
        description:
          `The planner spent ${ms(planning)} to produce a plan that ran in ${ms(exec)}. With ${scans} relation scans the join search space is large` +
          ' (join_collapse_limit, geqo_threshold); partitioned tables without pruning at plan time and long IN lists have the same effect.',
        nextSteps: [
          'use a prepared statement (or your driver\'s statement cache) so the plan is reused',
          'on PostgreSQL 12+ a generic plan (plan_cache_mode = force_generic_plan) avoids re-planning when parameters do not change the best plan',
          'reduce the number of joined relations or lower join_collapse_limit for this query',
        ],
      },
    );
    return [finding];
  },
});
