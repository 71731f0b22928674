/**
 * Records the OTLP JSON fixtures of the two test apps (test/fixtures/n1/*.otlp.json) by
 * running them for real and converting what was captured into OpenTelemetry spans:
 *   node --import tsx test/apps/record-otlp.ts
 * node-shop: from the db-optimize/capture file; sqlalchemy-shop: from the PostgreSQL log.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { readCaptureFile } from '../../src/n1/capture/read-capture-file.ts';
import { LogUnitBuilder } from '../../src/n1/log/log-unit-builder.ts';
import { readPostgresLog } from '../../src/n1/log/read-postgres-log.ts';
import { unitsToOtlp } from '../../src/n1/otlp/events-to-otlp.ts';
import type { QueryUnit } from '../../src/n1/query-event.ts';
import { startLoggingPostgres } from '../helpers/logging-postgres.ts';
import { NODE_SHOP_SCHEMA, startNodeShop } from '../helpers/node-shop.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'test/fixtures/n1');
const relativeSites = (u: QueryUnit): QueryUnit => ({
  ...u,
  events: u.events.map((e) => ({ ...e, callSite: e.callSite === null ? null : relative(ROOT, e.callSite) })),
});

const server = await startLoggingPostgres();
try {
  const admin = new pg.Client({ connectionString: server.url('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE node_shop');
  await admin.query('CREATE DATABASE sqlalchemy_shop');
  await admin.end();
  for (const [db, sql] of [
    ['node_shop', NODE_SHOP_SCHEMA],
    ['sqlalchemy_shop', readFileSync(join(ROOT, 'test/apps/sqlalchemy-shop/schema.sql'), 'utf8')],
  ] as const) {
    const c = new pg.Client({ connectionString: server.url(db) });
    await c.connect();
    await c.query(sql);
    await c.end();
  }
  const captureFile = join(mkdtempSync(join(tmpdir(), 'dbo-n1-rec-')), 'capture.ndjson');
  const shop = await startNodeShop(server.url('node_shop'), captureFile);
  for (const path of ['/knex/orders', '/knex/category-products', '/knex/export-orders', '/knex/suggest-email', '/sequelize/users', '/sequelize/users-fixed']) await shop.get(path);
  await shop.stop();
  const shopUnits: QueryUnit[] = [];
  await readCaptureFile(captureFile, 1000, (u) => shopUnits.push(relativeSites(u)));
  writeFileSync(join(OUT, 'node-shop.otlp.json'), `${JSON.stringify(unitsToOtlp(shopUnits, 'node-shop'), null, 1)}\n`);

  const before = readFileSync(server.logFile, 'utf8').length;
  execFileSync('/usr/bin/python3', [join(ROOT, 'test/apps/sqlalchemy-shop/app.py'), server.url('sqlalchemy_shop'), 'lazy']);
  await new Promise((r) => setTimeout(r, 1000));
  const logFile = `${server.logFile}.app`;
  writeFileSync(logFile, readFileSync(server.logFile, 'utf8').slice(before));
  const pyUnits: QueryUnit[] = [];
  const builder = new LogUnitBuilder((u) => pyUnits.push(u), 1000);
  await readPostgresLog(logFile, process.stdin, { name: logFile }, (r) => builder.add(r));
  builder.finish();
  const labelled = pyUnits.map((u) => ({ ...u, label: 'GET /users/orders-count' }));
  writeFileSync(join(OUT, 'sqlalchemy-shop.otlp.json'), `${JSON.stringify(unitsToOtlp(labelled, 'sqlalchemy-shop'), null, 1)}\n`);
  process.stdout.write(`recorded ${shopUnits.length} node-shop requests and ${pyUnits.length} sqlalchemy-shop transactions\n`);
} finally {
  await server.stop();
}
