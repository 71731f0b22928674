/**
 * A small shop on node-postgres with two ORMs, for the n1 tests: endpoints with an N+1, an
 * MN+1, a parallel fan-out, legitimate loops, and the fixed variants.
 * Env: DATABASE_URL, CAPTURE_FILE (optional), PORT (0 = any; the port is printed as "listening <port>").
 */
import { createServer } from 'node:http';
import { startCapture, withRequestCapture } from '../../../src/capture/index.ts';
import { knexRoutes } from './routes-knex.ts';
import { sequelizeRoutes } from './routes-sequelize.ts';

const url = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const k = knexRoutes(url);
// before the capture starts, so the warm-up queries are not part of what is analyzed
await k.warm();
const capture = startCapture({
  ...(process.env.CAPTURE_FILE === undefined ? {} : { file: process.env.CAPTURE_FILE }),
  devReport: process.env.DEV_REPORT === '1',
});
const s = sequelizeRoutes(url);
const routes = { ...k.routes, ...s.routes };

const server = createServer(
  withRequestCapture((req, res) => {
    const route = routes[(req.url ?? '/').split('?')[0] ?? '/'];
    if (route === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    route().then(
      (body) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
      (error: Error) => res.writeHead(500).end(error.message),
    );
  }),
);

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const a = server.address();
  process.stdout.write(`listening ${typeof a === 'object' && a !== null ? a.port : 0}\n`);
});

const shutdown = (): void => {
  server.close();
  void Promise.all([k.close(), s.close()]).finally(() => {
    capture.stop();
    process.exit(0);
  });
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
