import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Readable, Writable } from 'node:stream';
import { Database, MAX_CONNECTIONS } from '../collect/connection.ts';
import { DbOptimizeError } from '../errors/index.ts';
import { createMcpServer } from '../mcp/create-server.ts';
import type { McpCallRecord } from '../mcp/create-server.ts';
import { InFlight } from '../mcp/in-flight.ts';
import { ReportStore } from '../mcp/report-store.ts';
import { isLoopback, serveHttp } from '../mcp/serve-http.ts';
import type { Report } from '../model/index.ts';
import { buildReport } from '../render/build-report.ts';
import { defineFlow, runLibraryFlow } from './flow.ts';
import type { FlowInput, LibraryContext, LibraryOptions } from './flow.ts';
import { flag, numberOption, option } from './flow-input.ts';
import { mcpTools } from './mcp-tools.ts';

export const MCP_OPTIONS = {
  http: { type: 'string', valueName: 'PORT', description: 'serve Streamable HTTP on PORT (path /mcp) instead of stdio; 0 picks a free port' },
  host: { type: 'string', valueName: 'ADDR', description: 'address for --http (default 127.0.0.1; anything else exposes the database to the network without authentication)' },
  'allow-writes': {
    type: 'boolean',
    description: 'also offer the tools that write (indexes_create, config_apply, migrate_apply), each marked as writing; off by default: every tool is read-only',
  },
  'session-out': { type: 'string', valueName: 'FILE', description: 'when the server stops, write the session report (each tool call, its time and outcome) as JSON to FILE' },
} as const;

const INSTRUCTIONS = [
  'db-optimize analyzes this PostgreSQL database and returns reports: findings ranked by estimated gain, with evidence and fixes checked against the database.',
  'Start with profile (or full for everything); then query for one slow SELECT, explain for a plan you have, indexes, rewrite, n1 (a log file), schema, config, pool, pgbouncer, migrate_plan and migrate_lint.',
  'Every tool is read-only unless its description says it writes. Statements you pass must be one read-only SELECT; anything else is refused before it reaches the database.',
  'Each result has a short summary; the full report is the structured content and the resource it links to.',
].join(' ');

const STDIN_CLOSED = 'the client closed stdin';

/** Resolves when the client goes away (stdin ends) or the process is asked to stop. */
function untilStopped(stdin: NodeJS.ReadableStream | null): Promise<string> {
  return new Promise((resolve) => {
    const stop = (why: string) => (): void => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      stdin?.off('end', onEnd);
      stdin?.off('close', onEnd);
      resolve(why);
    };
    const onInt = stop('SIGINT');
    const onTerm = stop('SIGTERM');
    const onEnd = stop(STDIN_CLOSED);
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    stdin?.once('end', onEnd);
    stdin?.once('close', onEnd);
  });
}

/** An MCP server over stdio (or Streamable HTTP) whose tools are the commands, on one read-only pool. */
async function runMcp(input: FlowInput): Promise<Report> {
  const url = option(input, 'db') ?? (input.env.DATABASE_URL === '' ? undefined : input.env.DATABASE_URL);
  if (url === undefined) throw new DbOptimizeError('E_USAGE', 'usage', 'mcp needs the database: --db URL (or DATABASE_URL)', { hint: 'db-optimize mcp --db postgresql://user@host:5432/dbname' });
  const port = numberOption(input, 'http', { min: 0, max: 65_535, integer: true });
  const host = option(input, 'host') ?? '127.0.0.1';
  if (option(input, 'host') !== undefined && port === undefined) throw new DbOptimizeError('E_USAGE', 'usage', '--host only applies to --http PORT');
  const allowWrites = flag(input, 'allow-writes');
  if (port === undefined && (input.stdin === undefined || input.stdout === undefined)) {
    throw new DbOptimizeError('E_USAGE', 'usage', 'the stdio transport needs stdin and stdout (give --http PORT for a library call)');
  }
  const statementTimeoutMs = numberOption(input, 'statement-timeout', { min: 1, max: 2_147_483_647, integer: true });
  const lockTimeoutMs = numberOption(input, 'lock-timeout', { min: 1, max: 2_147_483_647, integer: true });
  // one pool for every call (sessions kept a minute between calls), and no way to make it read-write
  const db = await Database.connect({
    url,
    env: input.env,
    maxConnections: MAX_CONNECTIONS,
    lockReadOnly: true,
    idleTimeoutMs: 60_000,
    ...(statementTimeoutMs === undefined ? {} : { statementTimeoutMs }),
    ...(lockTimeoutMs === undefined ? {} : { lockTimeoutMs }),
  });
  const calls: McpCallRecord[] = [];
  const tools = mcpTools({ db, url, env: input.env, logger: input.logger }, { allowWrites });
  const store = new ReportStore();
  const inFlight = new InFlight();
  const newServer = (): Server => createMcpServer({ tools, store, inFlight, instructions: INSTRUCTIONS, onCall: (c) => void calls.push(c) });
  const notify = input.notify ?? ((m: string) => input.logger.info(m));
  let transport: string;
  let why: string;
  try {
    if (port === undefined) {
      transport = 'stdio';
      const server = newServer();
      await server.connect(new StdioServerTransport(input.stdin as Readable, input.stdout as Writable));
      input.logger.info(`MCP server on stdio for ${db.display} (${tools.length} tools${allowWrites ? ', writes allowed' : ', read-only'})`);
      why = await untilStopped(input.stdin ?? null);
      // stdin ended after the last request: answer what is still running first
      if (why === STDIN_CLOSED) {
        await inFlight.idle();
        // the answer is written after the handler returns: let the transport send it
        await new Promise((resolve) => setImmediate(resolve));
      }
      await server.close();
    } else {
      if (!isLoopback(host)) input.logger.warn(`--host ${host}: the MCP server has no authentication; anyone who reaches ${host} can run the tools on ${db.display}`);
      const serving = await serveHttp(newServer, { port, host });
      transport = `http ${serving.url}`;
      notify(`MCP server on ${serving.url} for ${db.display} (${tools.length} tools${allowWrites ? ', writes allowed' : ', read-only'}); Ctrl-C to stop`);
      why = await untilStopped(null);
      await serving.close();
    }
  } finally {
    await db.close();
  }
  const ok = calls.filter((c) => c.ok).length;
  return buildReport({
    command: 'mcp',
    generatedAt: new Date().toISOString(),
    database: { host: db.display },
    findings: [],
    sections: [
      {
        id: 'mcp-calls',
        title: `MCP session (${transport}): ${calls.length} tool call${calls.length === 1 ? '' : 's'}, ${ok} ok; stopped: ${why}`,
        lines: calls.map((c) => `${c.tool.padEnd(16)} ${Math.round(c.ms).toString().padStart(7)} ms  ${c.ok ? 'ok' : `error: ${c.error ?? ''}`}`),
      },
    ],
    extra: { mcp: { transport, allowWrites, tools: tools.map((t) => t.name), calls: calls.map((c) => ({ ...c, ms: Math.round(c.ms) })) } },
  });
}

export const mcpFlow = defineFlow({ name: 'mcp', common: ['connection'], options: MCP_OPTIONS, run: runMcp });

export type McpOptions = LibraryOptions<typeof MCP_OPTIONS>;

/** Serves until SIGINT/SIGTERM (HTTP) and returns the session's calls; the library has no stdio, so give `http`. */
export function mcp(options: McpOptions = {}, context?: LibraryContext): Promise<Report> {
  return runLibraryFlow(mcpFlow, options, context);
}
