// The low-level Server: our tools carry plain JSON Schemas (derived from the flows' options and the
// published report schema), which McpServer.registerTool would need as zod objects.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListResourcesRequestSchema, ListToolsRequestSchema, McpError, ReadResourceRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import { connectionLost, isDbOptimizeError } from '../errors/index.ts';
import { VERSION } from '../version.ts';
import { reportOutputSchema } from './output-schema.ts';
import { LATEST_REPORT_URI } from './report-store.ts';
import type { ReportStore } from './report-store.ts';
import type { InFlight } from './in-flight.ts';
import { reportSummary } from './report-summary.ts';
import type { McpTool } from './tool.ts';

/** One tool call as the server saw it (the session report lists them). */
export interface McpCallRecord {
  readonly tool: string;
  readonly ms: number;
  readonly ok: boolean;
  readonly error?: string;
}

export interface McpServerOptions {
  readonly tools: readonly McpTool[];
  /** shared by every session of an HTTP server */
  readonly store: ReportStore;
  readonly instructions?: string;
  readonly onCall?: (record: McpCallRecord) => void;
  /** counts the running calls (the stdio server answers them before it stops) */
  readonly inFlight?: InFlight;
  /** monotonic milliseconds (default performance.now) */
  readonly clock?: () => number;
}

function errorResult(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}

/** A message the model can act on: ours with its hint, a server error with its fields, else internal. */
function describeError(error: unknown): string {
  const e = connectionLost(error) ?? error;
  if (isDbOptimizeError(e)) return `${e.message}${e.hint === undefined ? '' : `\n${e.hint}`}`;
  const pgError = e as { message?: string; code?: string };
  if (typeof pgError.code === 'string' && /^[0-9A-Z]{5}$/.test(pgError.code)) return `PostgreSQL error ${pgError.code}: ${pgError.message ?? ''}`;
  return `internal error: ${pgError.message ?? String(e)}`;
}

/** An MCP server (one per client session) whose tools are db-optimize commands returning Reports. */
export function createMcpServer(options: McpServerOptions): Server {
  const clock = options.clock ?? (() => performance.now());
  const server = new Server(
    { name: 'db-optimize', version: VERSION, title: 'db-optimize: PostgreSQL performance, checked against the database' },
    { capabilities: { tools: {}, resources: { listChanged: true } }, ...(options.instructions === undefined ? {} : { instructions: options.instructions }) },
  );
  const outputSchema = reportOutputSchema();
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validators = new Map<string, ValidateFunction>(options.tools.map((t) => [t.name, ajv.compile(t.inputSchema)]));

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: options.tools.map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description,
      inputSchema: t.inputSchema as { type: 'object' },
      outputSchema: outputSchema as { type: 'object' },
      annotations: { title: t.title, readOnlyHint: !t.writes, destructiveHint: t.writes, idempotentHint: !t.writes, openWorldHint: false },
    })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const tool = options.tools.find((t) => t.name === request.params.name);
    if (tool === undefined) throw new McpError(ErrorCode.InvalidParams, `unknown tool "${request.params.name}"`);
    const args = request.params.arguments ?? {};
    const validate = validators.get(tool.name);
    if (validate !== undefined && !validate(args)) {
      const problems = (validate.errors ?? []).map((e) => `${e.instancePath === '' ? 'arguments' : e.instancePath.slice(1)} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` "${String(e.params.additionalProperty)}"` : ''}`);
      return errorResult(`invalid arguments for ${tool.name}: ${problems.join('; ')}`);
    }
    const warnings: string[] = [];
    const token = request.params._meta?.progressToken;
    let step = 0;
    const progress = (message: string): void => {
      if (token === undefined) return;
      step += 1;
      void extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: step, message } }).catch(() => undefined);
    };
    const t0 = clock();
    try {
      const running = tool.run(args, { signal: extra.signal, warn: (m) => warnings.push(m), progress });
      const report = await (options.inFlight === undefined ? running : options.inFlight.track(running));
      // the JSON the CLI prints (--format json): undefined fields dropped
      const json = JSON.parse(JSON.stringify(report)) as Record<string, unknown> & typeof report;
      const stored = options.store.add(tool.name, json);
      options.onCall?.({ tool: tool.name, ms: clock() - t0, ok: true });
      await server.sendResourceListChanged().catch(() => undefined);
      return {
        content: [
          { type: 'text', text: reportSummary(json, { uri: stored.uri, warnings }) },
          { type: 'resource_link', uri: stored.uri, name: `${tool.name} report`, mimeType: 'application/json' },
        ],
        structuredContent: json,
      };
    } catch (error) {
      const text = describeError(error);
      options.onCall?.({ tool: tool.name, ms: clock() - t0, ok: false, error: text.split('\n')[0] ?? text });
      return errorResult(text);
    }
  });

  server.setRequestHandler(ListResourcesRequestSchema, () => {
    const reports = options.store.list();
    const latest = reports[0];
    return {
      resources: [
        ...(latest === undefined ? [] : [{ uri: LATEST_REPORT_URI, name: 'latest report', description: `the last report (${latest.tool}, ${latest.at})`, mimeType: 'application/json' }]),
        ...reports.map((r) => ({ uri: r.uri, name: `${r.tool} report`, description: `db-optimize ${r.report.command} at ${r.at}`, mimeType: 'application/json' })),
      ],
    };
  });

  server.setRequestHandler(ReadResourceRequestSchema, (request) => {
    const stored = options.store.get(request.params.uri);
    if (stored === undefined) throw new McpError(ErrorCode.InvalidParams, `no report at ${request.params.uri} (the server keeps the last reports of this run)`);
    return { contents: [{ uri: request.params.uri, mimeType: 'application/json', text: JSON.stringify(stored.report, null, 2) }] };
  });
  return server;
}
