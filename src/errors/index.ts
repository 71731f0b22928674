export { DbOptimizeError, EXIT, isDbOptimizeError } from './db-optimize-error.ts';
export type { ErrorKind } from './db-optimize-error.ts';
export { CLIENT_TIMEOUT_MARGIN_MS, connectionLost, statementTimedOut } from './connection-lost.ts';
