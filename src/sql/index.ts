export { describeParseError, displaySql, fingerprintSql, initSqlParser, normalizeSql, parseSql, redactSecrets, redactSql, tryParseSql } from './parser.ts';
export type { SqlParseErrorDetails } from './parser.ts';
export { splitStatements } from './split-statements.ts';
export type { SqlChunk } from './split-statements.ts';
