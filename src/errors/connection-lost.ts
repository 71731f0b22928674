import { DbOptimizeError } from './db-optimize-error.ts';

/** How long past statement_timeout the client waits for a reply before it calls the server frozen. */
export const CLIENT_TIMEOUT_MARGIN_MS = 10_000;

interface PgErrorLike {
  code?: string;
  message?: string;
}

const LOST_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '08000', '08003', '08006']);

/**
 * The server went away or stopped answering during a run (shut down, killed, frozen): one clear
 * error with exit 3 instead of a stack trace or an "internal error". Null for other errors.
 */
export function connectionLost(error: unknown): DbOptimizeError | null {
  if (error instanceof DbOptimizeError) return error.kind === 'connection' ? error : null;
  const e = (error ?? {}) as PgErrorLike;
  const message = e.message ?? String(error);
  const lost =
    (e.code !== undefined && LOST_CODES.has(e.code)) ||
    /Connection terminated|connection ended|Query read timeout|timeout exceeded when trying to connect|Client has encountered a connection error|ECONNRESET|ECONNREFUSED|EPIPE|socket hang up/i.test(message);
  if (!lost) return null;
  const frozen = /Query read timeout|timeout exceeded/i.test(message);
  return new DbOptimizeError(
    'E_CONNECTION_LOST',
    'connection',
    frozen ? `the server stopped answering (no reply within statement_timeout + ${CLIENT_TIMEOUT_MARGIN_MS / 1000} s): ${message}` : `lost the connection to the server: ${message}`,
    { hint: 'check that PostgreSQL is running and reachable, then run again', cause: error },
  );
}


/**
 * One of our statements ran past statement_timeout and nothing caught it on the way (a catalog read on
 * a loaded server, a tight --statement-timeout): say so and what to do (exit 3, the server did not
 * answer in time) rather than an "internal error". Null for other errors.
 */
export function statementTimedOut(error: unknown): DbOptimizeError | null {
  const e = (error ?? {}) as PgErrorLike;
  if (e.code !== '57014' || !/statement timeout/i.test(e.message ?? '')) return null;
  return new DbOptimizeError('E_STATEMENT_TIMEOUT', 'connection', `a statement of ours ran longer than statement_timeout and was canceled: ${e.message ?? ''}`, {
    hint: 'the server is slow to answer (load, locks, a large catalog): run again, or raise --statement-timeout MS (default 30000)',
    cause: error,
  });
}
