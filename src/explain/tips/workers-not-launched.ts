import type { Finding } from '../../model/index.ts';
import { defineTip, nodeLabel, tipFinding } from './plan-tip.ts';

export const workersNotLaunchedTip = defineTip({
  id: 'plan-workers-not-launched',
  title: 'Parallel workers planned but not launched',
  description: 'The plan counted on parallel workers the server could not start (max_parallel_workers / max_worker_processes exhausted).',
  check({ plan }) {
    const out: Finding[] = [];
    for (const n of plan.nodes) {
      const planned = n.node.workersPlanned;
      const launched = n.node.workersLaunched;
      if (planned === null || launched === null || launched >= planned) continue;
      const slowdown = 1 - (launched + 1) / (planned + 1);
      out.push(
        tipFinding(plan, {
          rule: 'plan-workers-not-launched',
          node: n,
          title: `${nodeLabel(n)} planned ${planned} workers but launched ${launched}`,
          savingMs: (n.inclusiveMs ?? 0) * slowdown,
          savingBasis: 'inclusive time × share of the planned processes that did not run',
          evidence: { workersPlanned: planned, workersLaunched: launched, maxParallelWorkers: plan.plan.settings.max_parallel_workers ?? null },
          description:
            `The planner costed this part of the plan for ${planned + 1} processes; only ${launched + 1} ran, so it took about ${Math.round((1 / (1 - slowdown)) * 10) / 10}× longer than planned. ` +
            'Workers come from a fixed pool (max_parallel_workers, itself within max_worker_processes) shared by every session.',
          nextSteps: [
            'check how many parallel workers are busy at peak (pg_stat_activity where backend_type = \'parallel worker\')',
            'raise max_parallel_workers (and max_worker_processes, which needs a restart) if the CPUs allow, or lower max_parallel_workers_per_gather so plans do not count on workers they will not get',
          ],
          fix: {
            kind: 'config',
            content: `ALTER SYSTEM SET max_parallel_workers = ${Math.max(8, planned * 4)};  -- within max_worker_processes\nSELECT pg_reload_conf();`,
            rollback: 'ALTER SYSTEM RESET max_parallel_workers;\nSELECT pg_reload_conf();',
            safety: 'review',
            verified: false,
            verification: 'depends on concurrent load: compare Workers Launched at peak after the change',
          },
        }),
      );
    }
    return out;
  },
});
