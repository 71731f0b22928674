import { defineFlow } from './flow.ts';
import { runAnalysis } from './run-analysis.ts';

export const DEMO_OPTIONS = {
  scale: { type: 'string', valueName: 'N', description: 'data size multiplier (1 = 1M orders; default 1)' },
  fresh: { type: 'boolean', description: 'delete the demo data directory and build everything again' },
  'data-dir': { type: 'string', valueName: 'DIR', description: 'where the embedded server keeps its data (default: $TMPDIR/db-optimize-demo-pg18)' },
  'keep-running': { type: 'boolean', description: 'after the report, keep the server running and print its URL until Ctrl-C' },
  'no-replay': { type: 'boolean', description: 'do not replay the workload (pg_stat_statements keeps earlier runs)' },
} as const;

/** the demo should end well within two minutes: its rewrites are proven on subsets, which needs seconds, not a minute */
export const DEMO_REWRITE_BUDGET_SECONDS = 20;

/**
 * The analysis half of `demo` (the CLI owns the embedded server's lifetime and signals): `full` on
 * the demo database, where the replay is the whole workload, so fresh statistics are strong evidence.
 */
export const demoFlow = defineFlow({
  name: 'demo',
  common: ['report', 'analysis'],
  options: DEMO_OPTIONS,
  configKeys: ['analyzers'],
  run: (input) =>
    // statistics cover minutes here: findings that need days of history (unused indexes) are held back, as anywhere
    runAnalysis(
      { ...input, config: { ...input.config, analyzers: { 'query-rewrites': { verifyBudgetSeconds: DEMO_REWRITE_BUDGET_SECONDS }, ...((input.config.analyzers as object | undefined) ?? {}) } } },
      'demo',
      undefined,
      5,
      undefined,
      // the demo database is ours: without HypoPG the index advisor measures with real, rolled-back builds
      { sandboxWhatIf: true },
    ),
});
