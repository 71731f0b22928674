/**
 * SQLSTATE of the commonest server messages, for stderr logs whose log_line_prefix has no %e.
 * Matched on the message's start; anything else stays unknown rather than guessed.
 */
const BY_MESSAGE: readonly (readonly [RegExp, string])[] = [
  [/^duplicate key value violates unique constraint/, '23505'],
  [/^null value in column .* violates not-null constraint/, '23502'],
  [/^insert or update on table .* violates foreign key constraint/, '23503'],
  [/^update or delete on table .* violates foreign key constraint/, '23503'],
  [/^new row for relation .* violates check constraint/, '23514'],
  [/^division by zero/, '22012'],
  [/^invalid input syntax/, '22P02'],
  [/^value too long for type/, '22001'],
  [/^numeric field overflow/, '22003'],
  [/^syntax error at or near/, '42601'],
  [/^relation .* does not exist/, '42P01'],
  [/^column .* does not exist/, '42703'],
  [/^function .* does not exist/, '42883'],
  [/^operator does not exist/, '42883'],
  [/^permission denied/, '42501'],
  [/^deadlock detected/, '40P01'],
  [/^could not serialize access/, '40001'],
  [/^canceling statement due to statement timeout/, '57014'],
  [/^canceling statement due to user request/, '57014'],
  [/^canceling statement due to lock timeout/, '55P03'],
  [/^could not obtain lock/, '55P03'],
  [/^current transaction is aborted/, '25P02'],
  [/^terminating connection due to administrator command/, '57P01'],
  [/^terminating connection due to idle-in-transaction timeout/, '25P03'],
  [/^password authentication failed/, '28P01'],
  [/^no pg_hba\.conf entry/, '28000'],
  [/^database .* does not exist/, '3D000'],
  [/^role .* does not exist/, '28000'],
  [/^sorry, too many clients already/, '53300'],
  [/^remaining connection slots are reserved/, '53300'],
  [/^could not extend file/, '53100'],
  [/^out of memory/, '53200'],
  [/^prepared statement .* does not exist/, '26000'],
  [/^there is no transaction in progress/, '25P01'],
  [/^there is already a transaction in progress/, '25001'],
  [/^could not receive data from client/, '08006'],
  [/^unexpected EOF on client connection/, '08006'],
];

export function inferSqlstate(message: string): string | null {
  for (const [re, code] of BY_MESSAGE) if (re.test(message)) return code;
  return null;
}

/** The message with names, numbers and quoted values replaced, so errors of one kind group together. */
export function messagePattern(message: string): string {
  return message
    .split('\n', 1)[0] ?? ''
    .replace(/"[^"]*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\(([^()]*)\)=\(([^()]*)\)/g, '(…)=(…)')
    .replace(/\b\d+(\.\d+)?\b/g, 'N')
    .slice(0, 200);
}
