export { validate, DEFAULT_CLIENTS, DEFAULT_DURATION_SECONDS, DEFAULT_MAX_STATEMENTS } from './validate.ts';
export type { ValidateOptions } from './validate.ts';
export type { Validation, StatementValidation } from './validation-report.ts';
export { COPY_PREFIX } from './copy-database.ts';
