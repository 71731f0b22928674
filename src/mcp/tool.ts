import type { Report } from '../model/index.ts';

/** A JSON Schema object as MCP carries it (inputSchema / outputSchema). */
export type JsonSchemaObject = { readonly type: 'object'; readonly properties?: Readonly<Record<string, object>>; readonly [key: string]: unknown };

/** What a tool run may use besides its arguments. */
export interface ToolCall {
  /** the request's abort signal (the client cancelled) */
  readonly signal: AbortSignal;
  /** warnings for the text summary */
  readonly warn: (message: string) => void;
  /** progress for the client (notifications/progress when it sent a progressToken), so a long `full` is not timed out */
  readonly progress: (message: string) => void;
}

/** One MCP tool: a db-optimize command with a JSON input schema, returning the command's Report. */
export interface McpTool {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly inputSchema: JsonSchemaObject;
  /** changes the database (only registered with --allow-writes) */
  readonly writes: boolean;
  run(args: Readonly<Record<string, unknown>>, call: ToolCall): Promise<Report>;
}
