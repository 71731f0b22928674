import { format } from 'sql-formatter';

/** Pretty SQL for people; falls back to the input when the formatter does not know a construct. */
export function formatSql(sql: string, width = 80): string {
  try {
    return format(sql, { language: 'postgresql', keywordCase: 'upper', tabWidth: 2, expressionWidth: Math.max(30, Math.floor(width / 2)) });
  } catch {
    return sql;
  }
}
