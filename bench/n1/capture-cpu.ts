/**
 * CPU the capture adds per query, isolated from the database and the machine's load: a driver
 * with pg's call shapes (Client.prototype.query, callback or promise) that answers on the next
 * turn of the event loop. Each arm runs in its own process (AsyncLocalStorage's promise hooks,
 * once on, stay on for the process), arms alternate, medians are reported.
 *   npm run build && node --import tsx bench/n1/capture-cpu.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Capture from '../../src/capture/index.ts';

const QUERIES = 40_000;
const ARMS = ['plain', 'capture', 'capture-sampled-10%', 'capture-no-call-sites'] as const;
type Arm = (typeof ARMS)[number];

class Client {
  query(_config: unknown, _values?: unknown, callback?: unknown): unknown {
    const result = { rowCount: 1, rows: [] };
    if (typeof callback === 'function') {
      setImmediate(() => (callback as (e: unknown, r: unknown) => void)(null, result));
      return undefined;
    }
    return new Promise((resolve) => setImmediate(() => resolve(result)));
  }
}

async function child(arm: Arm): Promise<void> {
  // the published entry point (dist/), as apps load it
  const { runInRequest, startCapture } = (await import('db-optimize/capture' as string)) as typeof Capture;
  const dir = mkdtempSync(join(tmpdir(), 'dbo-bench-cpu-'));
  const capture =
    arm === 'plain'
      ? null
      : startCapture({
          pg: { Client } as unknown as Capture.PgModuleLike,
          file: join(dir, 'c.ndjson'),
          ...(arm === 'capture-sampled-10%' ? { sampleRate: 0.1 } : {}),
          ...(arm === 'capture-no-call-sites' ? { callSites: false } : {}),
        });
  const client = new Client();
  // a request: 50 lookups, each awaited, as an ORM's lazy loads are
  const request = async (k: number): Promise<void> => {
    for (let i = 0; i < 50; i++) await client.query('SELECT "id", "name" FROM "users" AS "User" WHERE "User"."id" = $1', [k * 50 + i]);
  };
  for (let k = 0; k < 100; k++) await (capture === null ? request(k) : runInRequest(`GET /warm/${k}`, () => request(k)));
  const c0 = process.cpuUsage();
  for (let k = 0; k < QUERIES / 50; k++) await (capture === null ? request(k) : runInRequest(`GET /users/${k}`, () => request(k)));
  const d = process.cpuUsage(c0);
  capture?.stop();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(String((d.user + d.system) / QUERIES));
}

if (process.argv[2] !== undefined) {
  await child(process.argv[2] as Arm);
} else {
  const self = fileURLToPath(import.meta.url);
  const runs: Record<Arm, number[]> = { plain: [], capture: [], 'capture-sampled-10%': [], 'capture-no-call-sites': [] };
  for (let r = 0; r < 5; r++) {
    for (const arm of r % 2 === 0 ? ARMS : [...ARMS].reverse()) {
      runs[arm].push(Number(execFileSync(process.execPath, ['--import', 'tsx', self, arm], { encoding: 'utf8' })));
    }
  }
  const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? 0;
  const plain = median(runs.plain);
  console.log(`capture CPU per query, fake driver, ${QUERIES} queries per arm, 5 alternating runs (median):`);
  for (const arm of ARMS) {
    const m = median(runs[arm]);
    const extra = m - plain;
    console.log(
      `  ${arm.padEnd(22)} ${m.toFixed(1)} µs/query${arm === 'plain' ? '' : `  +${extra.toFixed(1)} µs = ${((extra / 1000) * 100).toFixed(2)} % of a 1 ms query, ${((extra / 200) * 100).toFixed(1)} % of a 0.2 ms one`}`,
    );
  }
}
