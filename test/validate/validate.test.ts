import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbOptimizeError } from '../../src/errors/index.ts';
import { validate } from '../../src/validate/validate.ts';
import type { Validation } from '../../src/validate/validation-report.ts';
import { urlFor } from '../helpers/test-database.ts';
import type { SourceDatabase } from './source-database.ts';
import { copiesOf, createSourceDatabase, writeWorkloadFile } from './source-database.ts';

const HOLD_COPY = fileURLToPath(new URL('./hold-copy.ts', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/db-optimize.js', import.meta.url));

async function databaseExists(name: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: urlFor('postgres') });
  await c.connect();
  try {
    return (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await c.end();
  }
}

/** A copy made by another process that is then killed with SIGKILL, so none of its cleanup runs. */
async function copyOfKilledRun(source: SourceDatabase): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLD_COPY, source.url, source.name], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const name = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => resolve(d.toString().trim()));
    child.on('exit', (code) => reject(new Error(`hold-copy exited with ${code}: ${err}`)));
  });
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGKILL');
  await exited;
  return name;
}

describe('validate on a copy', () => {
  let source: SourceDatabase;
  let workloadFile: string;
  beforeAll(async () => {
    source = await createSourceDatabase();
    workloadFile = writeWorkloadFile();
  });
  afterAll(async () => {
    await source?.drop();
  });

  it('drops what a killed run left, applies the advised index on a copy, measures the lookup faster, and leaves the source unchanged', async () => {
    const leftover = await copyOfKilledRun(source);
    expect(await databaseExists(leftover)).toBe(true);
    const before = await source.fingerprint();
    const warnings: string[] = [];
    const report = await validate({
      url: source.url,
      workloadFile,
      clients: 2,
      durationSeconds: 2,
      handleSignals: false,
      logger: { info: () => undefined, warn: (m) => warnings.push(m), debug: () => undefined },
    });
    const v = report.validation as Validation;
    // the killed run's copy is gone, and the user was told
    expect(await databaseExists(leftover)).toBe(false);
    expect(v.leftovers).toContainEqual(expect.objectContaining({ database: leftover, dropped: true }));
    expect(warnings.some((w) => w.includes(leftover) && w.includes('dropped'))).toBe(true);
    // this run's copy was made, marked, and dropped
    expect(v.copy.method).toBe('template');
    expect(v.copy.database).toMatch(new RegExp(`^dbopt_validate_${process.pid}_`));
    expect(v.copy.dropped).toBe(true);
    expect(await databaseExists(v.copy.database)).toBe(false);
    // the advisor's index on email was built on the copy
    const index = v.applied.find((a) => a.kind === 'index' && /\(email\)/.test(a.sql));
    expect(index?.ok).toBe(true);
    const lookup = v.statements.find((s) => s.query.includes('email ='));
    expect(lookup?.query).not.toContain('user4242'); // literals redacted
    expect(lookup?.before?.calls).toBeGreaterThan(0);
    expect(lookup?.after?.calls).toBeGreaterThan(0);
    expect(lookup?.after?.p95Ms ?? Infinity).toBeLessThan(lookup?.before?.p95Ms ?? 0);
    // the verified rewrite ran in the after replay
    expect(v.applied).toContainEqual(expect.objectContaining({ kind: 'rewrite', name: 'count-to-exists', ok: true }));
    const counted = v.statements.find((s) => s.query.includes('count(*)'));
    expect(counted?.rewritten).toBe(true);
    expect(counted?.after?.calls).toBeGreaterThan(0);
    expect(counted?.after?.errors).toBe(0);
    // a SELECT calling a VOLATILE function is listed, never run
    expect(v.notReplayed).toContainEqual(
      expect.objectContaining({ query: 'SELECT touch_audit()', reason: expect.stringContaining('touch_audit(), which is VOLATILE') }),
    );
    expect(v.statements.some((s) => s.query.includes('touch_audit'))).toBe(false);
    expect(v.scorecard.after.p95TargetMs).toBe(100);
    expect(report.findings.some((f) => f.rule === 'validation-summary')).toBe(true);
    // the source: no new index, same rows
    expect(await source.fingerprint()).toEqual(before);
  });

  it('drops the copy when the replay throws', async () => {
    const failing = {
      info: (m: string) => {
        if (m.startsWith('replaying')) throw new Error('replay failed on purpose');
      },
      warn: () => undefined,
      debug: () => undefined,
    };
    await expect(validate({ url: source.url, workloadFile, clients: 1, durationSeconds: 0.5, handleSignals: false, logger: failing })).rejects.toThrow(
      'replay failed on purpose',
    );
    expect(await copiesOf(process.pid)).toEqual([]);
  });

  it('drops the copy on Ctrl-C (SIGINT) and exits 130', async () => {
    const child = spawn(process.execPath, [BIN, 'validate', '--db', source.url, '--workload', workloadFile, '--duration', '120', '--clients', '1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DB_OPTIMIZE_PROGRESS: '1' },
    });
    let err = '';
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // interrupt once the first replay is under way (the copy exists and has sessions on it)
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.includes('replaying')) resolve();
      });
      child.on('exit', () => reject(new Error(`validate ended before replaying: ${err}`)));
    });
    const copy = /copying \S+ to (dbopt_validate_\S+)/.exec(err)?.[1] ?? '';
    expect(await databaseExists(copy)).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(err).toContain(`SIGINT: dropping the copy ${copy}`);
    expect(await databaseExists(copy)).toBe(false);
  });

  it('refuses (exit 2) when another session is connected to the source, and runs nothing there', async () => {
    const before = await source.fingerprint();
    const other = new pg.Client({ connectionString: source.url, application_name: 'the-app' });
    await other.connect();
    try {
      const error = await validate({ url: source.url, workloadFile, durationSeconds: 0.5, handleSignals: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DbOptimizeError);
      const e = error as DbOptimizeError;
      expect(e.code).toBe('E_VALIDATE_SOURCE_BUSY');
      expect(e.exitCode).toBe(2);
      expect(e.message).toContain('the-app');
      expect(e.hint).toMatch(/staging copy/);
    } finally {
      await other.end();
    }
    expect(await copiesOf(process.pid)).toEqual([]);
    expect(await source.fingerprint()).toEqual(before);
  });

  it('says clearly that a role without CREATEDB cannot make the copy', async () => {
    const role = `dbo_nocreatedb_${process.pid}`;
    await source.exec(`DROP ROLE IF EXISTS ${role}; CREATE ROLE ${role} LOGIN PASSWORD 'pw' NOCREATEDB`);
    try {
      const u = new URL(source.url);
      u.username = role;
      u.password = 'pw';
      const error = await validate({ url: u.toString(), workloadFile, durationSeconds: 0.5, handleSignals: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DbOptimizeError);
      const e = error as DbOptimizeError;
      expect(e.code).toBe('E_VALIDATE_NO_CREATEDB');
      expect(e.exitCode).toBe(2);
      expect(e.message).toContain(`role "${role}" may not create databases`);
      expect(e.hint).toContain('CREATEDB');
    } finally {
      await source.exec(`DROP ROLE IF EXISTS ${role}`);
    }
  });
});
