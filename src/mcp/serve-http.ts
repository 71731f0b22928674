import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { DbOptimizeError } from '../errors/index.ts';

export const MCP_HTTP_PATH = '/mcp';
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface HttpServing {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function jsonRpcError(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/**
 * Streamable HTTP on `host:port` (loopback unless asked otherwise), path /mcp: one MCP session per
 * client (mcp-session-id), each with its own protocol Server from `newServer`. On loopback the
 * Host header must name loopback too (DNS rebinding: a web page cannot reach the server).
 */
export async function serveHttp(newServer: () => Server, options: { port: number; host: string }): Promise<HttpServing> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  let allowedHosts: string[] = [];
  const http = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== MCP_HTTP_PATH) {
        res.writeHead(404).end();
        return;
      }
      const sessionId = req.headers['mcp-session-id'];
      const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
      if (req.method === 'POST') {
        let body: unknown;
        try {
          body = await readJson(req);
        } catch (error) {
          jsonRpcError(res, 400, `invalid JSON body: ${(error as Error).message}`);
          return;
        }
        if (existing !== undefined) return existing.handleRequest(req, res, body);
        if (sessionId !== undefined || !isInitializeRequest(body)) {
          jsonRpcError(res, sessionId === undefined ? 400 : 404, sessionId === undefined ? 'no session: send initialize first' : 'unknown session');
          return;
        }
        const transport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (id) => void sessions.set(id, transport),
          ...(isLoopback(options.host) ? { enableDnsRebindingProtection: true, allowedHosts } : {}),
        });
        transport.onclose = () => {
          if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
        };
        await newServer().connect(transport);
        return transport.handleRequest(req, res, body);
      }
      if (existing === undefined) {
        jsonRpcError(res, 404, 'unknown session');
        return;
      }
      return existing.handleRequest(req, res);
    })().catch((error: unknown) => {
      if (!res.headersSent) jsonRpcError(res, 500, (error as Error).message);
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', (error: NodeJS.ErrnoException) =>
      reject(new DbOptimizeError('E_LISTEN', 'usage', `cannot listen on ${options.host}:${options.port}: ${error.code ?? error.message}`, { hint: 'choose another --http PORT' })),
    );
    http.listen(options.port, options.host, () => resolve());
  });
  const address = http.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}${MCP_HTTP_PATH}`,
    port,
    async close() {
      for (const t of sessions.values()) await t.close().catch(() => undefined);
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
