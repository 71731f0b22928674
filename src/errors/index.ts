export { DbOptimizeError, EXIT, isDbOptimizeError } from './db-optimize-error.ts';
export type { ErrorKind } from './db-optimize-error.ts';
