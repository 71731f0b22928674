import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { DbOptimizeError } from '../../errors/index.ts';
import { OtlpSpanCollector } from './otlp-spans.ts';

export interface OtlpReceiver {
  readonly port: number;
  readonly collector: OtlpSpanCollector;
  readonly rejected: () => number;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024 * 1024;

/** OTLP/HTTP JSON receiver (POST /v1/traces) bound to 127.0.0.1 only. */
export async function startOtlpReceiver(port: number, log: (m: string) => void): Promise<OtlpReceiver> {
  const collector = new OtlpSpanCollector();
  let rejected = 0;
  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/v1/traces') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 5, message: 'only POST /v1/traces is served' }));
      return;
    }
    const type = req.headers['content-type'] ?? '';
    if (!type.includes('json')) {
      rejected++;
      res.writeHead(415, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 3, message: 'only OTLP/HTTP JSON is accepted: set OTEL_EXPORTER_OTLP_PROTOCOL=http/json' }));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      try {
        if (size > MAX_BODY) throw new Error('body too large');
        collector.add(JSON.parse(Buffer.concat(chunks).toString('utf8')), 'OTLP request');
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch (error) {
        rejected++;
        log(`rejected an OTLP request: ${(error as Error).message}`);
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 3, message: (error as Error).message }));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new DbOptimizeError('E_OTLP_PORT', 'usage', `cannot listen on 127.0.0.1:${port}: ${e.code ?? e.message}`, { hint: 'pick a free port (4318 is the OTLP/HTTP default)' })),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : port,
    collector,
    rejected: () => rejected,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
