export { runLogs } from './run-logs.ts';
export type { RunLogsOptions } from './run-logs.ts';
export { logsSections } from './logs-sections.ts';
export { parseLogTime } from '../n1/log/log-record.ts';
export type * from './logs-model.ts';
