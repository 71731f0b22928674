import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const NODE_SHOP_DIR = fileURLToPath(new URL('../apps/node-shop/', import.meta.url));
export const NODE_SHOP_SCHEMA = readFileSync(new URL('../apps/node-shop/schema.sql', import.meta.url), 'utf8');

export interface RunningShop {
  readonly port: number;
  get(path: string): Promise<number>;
  stop(): Promise<void>;
}

/** Starts the node-shop app on a free 127.0.0.1 port with capture on. */
export async function startNodeShop(databaseUrl: string, captureFile: string): Promise<RunningShop> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', `${NODE_SHOP_DIR}server.ts`], {
    env: { ...process.env, DATABASE_URL: databaseUrl, CAPTURE_FILE: captureFile, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (d: Buffer) => (errors += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m !== null) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`node-shop exited with ${code}: ${errors}`)));
  });
  return {
    port,
    async get(path) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      await res.text();
      return res.status;
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Queries per request as the capture file recorded them. */
export function queriesPerRequest(captureFile: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const line of readFileSync(captureFile, 'utf8').split('\n')) {
    if (line === '') continue;
    const r = JSON.parse(line) as { t: string; label?: string; q?: number };
    if (r.t === 'req' && r.label !== undefined) out.set(r.label, [...(out.get(r.label) ?? []), r.q ?? 0]);
  }
  return out;
}
