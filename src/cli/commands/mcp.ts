import { writeFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { mcpFlow } from '../../flows/mcp.ts';
import { DbOptimizeError, EXIT } from '../../errors/index.ts';
import { option } from '../../flows/flow-input.ts';
import { renderJson } from '../../render/render-json.ts';
import type { Command } from '../command.ts';
import { flowInput } from '../context-helpers.ts';

export const mcpCommand: Command = {
  name: 'mcp',
  summary: 'serve the commands as MCP tools to an AI assistant (stdio, or Streamable HTTP on loopback); read-only by default',
  usage: 'mcp --db URL [--http PORT [--host ADDR]] [--allow-writes]',
  help: [
    'An MCP server (Model Context Protocol) whose tools are the commands: profile, full, explain, query, indexes,',
    'rewrite, n1, schema, migrate_lint, migrate_plan, config, pool, pgbouncer. Each returns the JSON report as',
    'structured content plus a short summary; the last reports are resources (db-optimize://reports/latest).',
    'Every tool is read-only: the sessions are locked read-only (no BEGIN READ WRITE, no SET … read_only), and a',
    'statement from the model must be one SELECT by the real parser (no second statement, no writing CTE, no DO,',
    'no function that writes or signals) or it is refused before it reaches the database. One pool of at most 3',
    'sessions serves every call. --allow-writes adds indexes_create, config_apply and migrate_apply, which say so.',
    'stdout carries the protocol; messages go to stderr.',
    '',
    'Claude Code:    claude mcp add db-optimize -- npx db-optimize mcp --db postgresql://localhost/shop',
    'Other clients:  { "command": "npx", "args": ["db-optimize", "mcp", "--db", "postgresql://localhost/shop"] }',
    'HTTP:           db-optimize mcp --db $URL --http 8765   (then http://127.0.0.1:8765/mcp)',
  ].join('\n'),
  common: mcpFlow.common,
  options: mcpFlow.options,
  // stdout is the protocol channel: the session report is not printed, only logged
  run: async (ctx) => {
    const stdout = new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        ctx.io.stdout(chunk.toString());
        callback();
      },
    });
    const input = { ...flowInput(ctx, mcpFlow), stdout };
    const report = await mcpFlow.run(input);
    const out = option(input, 'session-out');
    if (out !== undefined) {
      await writeFile(out, renderJson(report)).catch((error: NodeJS.ErrnoException) => {
        throw new DbOptimizeError('E_WRITE', 'usage', `cannot write ${out}: ${error.code ?? String(error)}`);
      });
    }
    if (ctx.values.quiet !== true) ctx.io.stderr(`${report.sections?.[0]?.title ?? 'MCP server stopped'}\n`);
    return EXIT.ok;
  },
};
