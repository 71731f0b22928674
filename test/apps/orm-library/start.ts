import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ORM_LIBRARY_SCHEMA = readFileSync(new URL('./schema.sql', import.meta.url), 'utf8');

export interface RunningLibrary {
  get(path: string): Promise<unknown>;
  post(path: string, body: string): Promise<unknown>;
  stop(): Promise<void>;
}

/** Starts the TypeORM + MikroORM app on a free 127.0.0.1 port, capturing into captureFile. */
export async function startOrmLibrary(databaseUrl: string, captureFile: string): Promise<RunningLibrary> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./server.ts', import.meta.url))], {
    env: { ...process.env, DATABASE_URL: databaseUrl, CAPTURE_FILE: captureFile, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m !== null) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`orm-library exited with ${code}: ${errors}`)));
  });
  const call = async (path: string, init: RequestInit): Promise<unknown> => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, init);
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as unknown;
  };
  return {
    get: (path) => call(path, {}),
    post: (path, body) => call(path, { method: 'POST', body }),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
