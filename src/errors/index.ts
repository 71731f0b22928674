export { DbOptimizeError, EXIT, isDbOptimizeError } from './db-optimize-error.ts';
export type { ErrorKind } from './db-optimize-error.ts';
export { CLIENT_TIMEOUT_MARGIN_MS, connectionLost } from './connection-lost.ts';
