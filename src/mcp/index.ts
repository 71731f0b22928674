/** The MCP adapter: a protocol server whose tools are commands returning Reports (the tool list lives in src/flows/mcp-tools.ts). */
export { createMcpServer } from './create-server.ts';
export type { McpCallRecord, McpServerOptions } from './create-server.ts';
export { InFlight } from './in-flight.ts';
export { assertModelStatement } from './read-only-gate.ts';
export { LATEST_REPORT_URI, REPORT_URI_PREFIX, ReportStore } from './report-store.ts';
export { reportSummary } from './report-summary.ts';
export { isLoopback, MCP_HTTP_PATH, serveHttp } from './serve-http.ts';
export type { JsonSchemaObject, McpTool, ToolCall } from './tool.ts';
