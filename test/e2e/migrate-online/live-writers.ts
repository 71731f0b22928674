import type pg from 'pg';
import { runCli } from '../../helpers/run-cli.ts';

/** One write of an application release; `i` makes every call's values unique. */
export type WriteFn = (c: pg.Client, i: number) => Promise<unknown>;

/** A client that runs one release's writes in a loop until stopped, counting successes and failures. */
export class LiveWriter {
  ok = 0;
  readonly failures: string[] = [];
  maxMs = 0;
  private stopped = false;
  private loop: Promise<void> | null = null;

  constructor(
    readonly name: string,
    private readonly client: pg.Client,
    private readonly write: WriteFn,
  ) {}

  async start(): Promise<void> {
    // a write that waits 1 s for a lock fails: "no lock wait ≥ 1 s" becomes "no failed write"
    await this.client.query(`SET lock_timeout = '1s'`);
    this.loop = (async () => {
      for (let i = 0; !this.stopped; i++) {
        const started = performance.now();
        try {
          await this.write(this.client, i);
          this.ok++;
        } catch (error) {
          const e = error as { code?: string; message?: string };
          this.failures.push(`${this.name} write ${i}: ${e.code ?? ''} ${e.message ?? String(error)}`);
        }
        this.maxMs = Math.max(this.maxMs, performance.now() - started);
      }
    })();
  }

  /** Resolves once the writer has made `n` more attempts: every window sees writes, without a timed sleep. */
  async progress(n = 15): Promise<void> {
    const target = this.ok + this.failures.length + n;
    while (this.ok + this.failures.length < target && this.loop !== null) await new Promise((r) => setImmediate(r));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}

interface Applied {
  readonly applied?: readonly { readonly step: number; readonly status: string }[];
}

async function applyRun(url: string, args: readonly string[], fromStep: number | null): Promise<Applied> {
  const argv = ['migrate', 'plan', ...args, '--db', url, '--apply', '--format', 'json', '--batch-size', '1000', ...(fromStep === null ? [] : ['--from-step', String(fromStep)])];
  const r = await runCli(argv);
  if (r.code !== 0) throw new Error(`migrate plan --apply failed (exit ${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Applied;
}

export interface OnlineRun {
  readonly oldApp: LiveWriter;
  readonly newApp: LiveWriter;
  /** the plan had a manual deploy step (expand/contract) */
  readonly deployStep: number | null;
}

/**
 * Applies a plan as an operator would (db-optimize migrate plan --apply) while the old release
 * writes; at the deploy step the new release starts and both write (rolling deploy); then the
 * old release stops and the rest of the plan runs under the new release's writes.
 */
export async function applyUnderWrites(url: string, args: readonly string[], clients: [pg.Client, pg.Client], oldWrite: WriteFn, newWrite: WriteFn): Promise<OnlineRun> {
  const oldApp = new LiveWriter('old release', clients[0], oldWrite);
  const newApp = new LiveWriter('new release', clients[1], newWrite);
  await oldApp.start();
  try {
    await oldApp.progress();
    const first = await applyRun(url, args, null);
    const pending = first.applied?.find((s) => s.status === 'pending')?.step ?? null;
    await oldApp.progress();
    await newApp.start();
    await newApp.progress();
    await oldApp.progress();
    if (pending !== null) {
      // the deploy is done: the old release is gone before the contract steps
      await oldApp.stop();
      await applyRun(url, args, pending + 1);
    }
    await newApp.progress();
    return { oldApp, newApp, deployStep: pending };
  } finally {
    await oldApp.stop();
    await newApp.stop();
  }
}
