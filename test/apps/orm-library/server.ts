/**
 * Authors → books → reviews on TypeORM 0.3 and MikroORM 6, for the n1 tests: a 1 + N and a
 * nested N + 1 per ORM, and POST /<orm>/fix/<name>, which runs the fix snippet in the body as printed.
 * Env: DATABASE_URL, CAPTURE_FILE, PORT (0 = any; the port is printed as "listening <port>").
 */
import { createServer } from 'node:http';
import { startCapture, withRequestCapture } from '../../../src/capture/index.ts';
import { mikroOrmRoutes } from './routes-mikro-orm.ts';
import type { OrmRoutes } from './routes.ts';
import { typeormRoutes } from './routes-typeorm.ts';

const url = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const orms: Record<string, OrmRoutes> = { typeorm: await typeormRoutes(url), 'mikro-orm': await mikroOrmRoutes(url) };
// before the capture starts, so connecting and metadata queries are not part of what is analyzed
for (const o of Object.values(orms)) await o.warm();
const capture = startCapture(process.env.CAPTURE_FILE === undefined ? {} : { file: process.env.CAPTURE_FILE });

const server = createServer(
  withRequestCapture((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const fix = /^\/([\w-]+)\/fix\/[\w-]+$/.exec(path);
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    // no AsyncResource.bind needed: withRequestCapture runs the request's listeners in its context
    req.on('end', () => {
      const route = fix === null ? Object.values(orms).find((o) => o.routes[path] !== undefined)?.routes[path] : orms[fix[1] ?? '']?.runFix.bind(null, body);
      if (route === undefined) {
        res.writeHead(404).end('not found');
        return;
      }
      route().then(
        (out) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out)),
        (error: Error) => res.writeHead(500).end(error.stack ?? error.message),
      );
    });
  }),
);

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const a = server.address();
  process.stdout.write(`listening ${typeof a === 'object' && a !== null ? a.port : 0}\n`);
});

const shutdown = (): void => {
  server.close();
  void Promise.all(Object.values(orms).map((o) => o.close())).finally(() => {
    capture.stop();
    process.exit(0);
  });
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
