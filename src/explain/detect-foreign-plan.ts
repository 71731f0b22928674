/** Recognizes EXPLAIN output of other databases so the error can say what was given. */
export function detectForeignPlan(text: string): string | null {
  const head = text.slice(0, 4000);
  if (/"query_block"\s*:/.test(head) || /\bselect_type\b/.test(head) && /\bpossible_keys\b/.test(head)) return 'a MySQL/MariaDB EXPLAIN';
  if (/^\s*->\s.*\(cost=[\d.]+ rows=[\d.]+\)/m.test(head) || /\brow\(s\)/.test(head)) return 'a MySQL EXPLAIN FORMAT=TREE / ANALYZE';
  if (/<ShowPlanXML/i.test(head) || /\bStmtText\b/.test(head)) return 'a SQL Server showplan';
  if (/PLAN_TABLE_OUTPUT/.test(head) || /\|\s*Id\s*\|\s*Operation\s*\|/.test(head)) return 'an Oracle execution plan';
  if (/^\s*(?:QUERY PLAN\s*\n)?\s*[|`]--(SCAN|SEARCH|USE TEMP|CO-ROUTINE)/m.test(head) || /^\s*addr\s+opcode\s+p1/m.test(head)) return 'a SQLite EXPLAIN QUERY PLAN';
  if (/"executionStats"|"winningPlan"/.test(head)) return 'a MongoDB explain()';
  return null;
}
