import { tryParseSql } from '../sql/index.ts';

export type BreakerKind = 'session-set' | 'listen' | 'advisory-lock' | 'with-hold-cursor' | 'sql-prepare' | 'temp-table' | 'load';

export interface ScannedStatement {
  readonly text: string;
  readonly calls: number;
  /** where it came from: pg_stat_statements, file:line, log:line */
  readonly origin: string;
}

export interface Breaker {
  readonly kind: BreakerKind;
  readonly statement: string;
  readonly calls: number;
  readonly origin: string;
}

/** Why each construct breaks under transaction pooling and what to do instead. */
export const BREAKER_ADVICE: Readonly<Record<BreakerKind, { readonly title: string; readonly why: string; readonly fix: string }>> = {
  'session-set': {
    title: 'session-level SET',
    why: 'the setting stays on the server connection, which the next transaction may belong to another client, and this client may get a connection without it',
    fix: 'SET LOCAL inside the transaction, ALTER ROLE … SET for per-role defaults, or connect_query / startup parameters',
  },
  listen: {
    title: 'LISTEN',
    why: 'notifications are delivered to the server connection, which is handed to other clients between transactions',
    fix: 'keep listeners on a direct connection (or a separate PgBouncer database entry with pool_mode = session)',
  },
  'advisory-lock': {
    title: 'session advisory lock',
    why: 'pg_advisory_lock is held by the server connection until unlocked: another client may inherit it, and the unlock may run on a different connection',
    fix: 'pg_advisory_xact_lock / pg_try_advisory_xact_lock, released at the end of the transaction',
  },
  'with-hold-cursor': {
    title: 'WITH HOLD cursor',
    why: 'a holdable cursor outlives its transaction on the server connection, which then belongs to someone else',
    fix: 'fetch inside one transaction (cursor without WITH HOLD), or keyset pagination',
  },
  'sql-prepare': {
    title: 'SQL-level PREPARE',
    why: 'the prepared statement lives on one server connection; EXECUTE may run on another where it does not exist (PgBouncer 1.21+ max_prepared_statements covers protocol-level prepares only, not SQL PREPARE)',
    fix: 'protocol-level prepared statements with PgBouncer 1.21+ and max_prepared_statements, or plain parameterized queries',
  },
  'temp-table': {
    title: 'temporary table',
    why: 'a temporary table lives as long as the server connection: later transactions of the same client may not see it, other clients may',
    fix: 'CREATE TEMP TABLE … ON COMMIT DROP inside one transaction, or a regular (unlogged) table keyed by session',
  },
  load: {
    title: 'LOAD',
    why: 'a library loaded with LOAD stays in one server connection only',
    fix: 'session_preload_libraries / shared_preload_libraries',
  },
};

const SESSION_ADVISORY = new Set(['pg_advisory_lock', 'pg_advisory_lock_shared', 'pg_try_advisory_lock', 'pg_try_advisory_lock_shared']);
const CURSOR_OPT_HOLD = 0x0020;

type Node = Record<string, unknown>;

function funcName(call: Node): string {
  const parts = (call.funcname as Node[] | undefined) ?? [];
  const last = parts[parts.length - 1] as { String?: { sval?: string } } | undefined;
  return (last?.String?.sval ?? '').toLowerCase();
}

/** Walks a parse tree and yields every { NodeType: body } pair. */
function* walk(value: unknown): Generator<[string, Node]> {
  if (Array.isArray(value)) {
    for (const v of value) yield* walk(v);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, body] of Object.entries(value as Node)) {
    if (/^[A-Z]/.test(key) && body !== null && typeof body === 'object' && !Array.isArray(body)) yield [key, body as Node];
    yield* walk(body);
  }
}

function kindsInTree(tree: unknown): BreakerKind[] {
  const kinds = new Set<BreakerKind>();
  for (const [type, node] of walk(tree)) {
    switch (type) {
      case 'VariableSetStmt': {
        const kind = String(node.kind ?? '');
        const name = String(node.name ?? '').toLowerCase();
        // SET LOCAL and SET TRANSACTION … end with the transaction: harmless
        if (node.is_local !== true && kind !== 'VAR_SET_MULTI' && !name.startsWith('transaction') && kind !== 'VAR_RESET' && kind !== 'VAR_RESET_ALL') kinds.add('session-set');
        break;
      }
      case 'ListenStmt':
        kinds.add('listen');
        break;
      case 'PrepareStmt':
        kinds.add('sql-prepare');
        break;
      case 'LoadStmt':
        kinds.add('load');
        break;
      case 'DeclareCursorStmt':
        if ((Number(node.options ?? 0) & CURSOR_OPT_HOLD) !== 0) kinds.add('with-hold-cursor');
        break;
      case 'CreateStmt': {
        const rel = node.relation as Node | undefined;
        if (rel?.relpersistence === 't' && node.oncommit !== 'ONCOMMIT_DROP') kinds.add('temp-table');
        break;
      }
      case 'CreateTableAsStmt': {
        const into = node.into as Node | undefined;
        const rel = into?.rel as Node | undefined;
        if (rel?.relpersistence === 't' && into?.onCommit !== 'ONCOMMIT_DROP') kinds.add('temp-table');
        break;
      }
      case 'FuncCall': {
        const name = funcName(node);
        if (SESSION_ADVISORY.has(name)) kinds.add('advisory-lock');
        if (name === 'set_config') {
          const args = (node.args as Node[] | undefined) ?? [];
          const third = args[2] as { A_Const?: { boolval?: { boolval?: boolean } } } | undefined;
          // set_config(name, value, is_local := false) is a session SET
          if (third?.A_Const !== undefined && third.A_Const.boolval?.boolval !== true) kinds.add('session-set');
        }
        break;
      }
      default:
        break;
    }
  }
  return [...kinds];
}

/** For texts the parser rejects (truncated log lines): conservative keyword checks. */
function kindsByRegex(text: string): BreakerKind[] {
  const t = text.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
  const kinds: BreakerKind[] = [];
  if (/^\s*set\s+(?!local\b|transaction\b|session\s+characteristics\b)/i.test(t)) kinds.push('session-set');
  if (/^\s*listen\b/i.test(t)) kinds.push('listen');
  if (/\bpg_(try_)?advisory_lock(_shared)?\s*\(/i.test(t)) kinds.push('advisory-lock');
  if (/\bcursor\s+with\s+hold\b/i.test(t)) kinds.push('with-hold-cursor');
  if (/^\s*prepare\s+\w+/i.test(t) && !/^\s*prepare\s+transaction\b/i.test(t)) kinds.push('sql-prepare');
  if (/^\s*create\s+(global\s+|local\s+)?temp(orary)?\s+table\b/i.test(t) && !/on\s+commit\s+drop/i.test(t)) kinds.push('temp-table');
  return kinds;
}

/** Finds what breaks when clients share server connections per transaction (PgBouncer pool_mode = transaction). */
export function scanTransactionPooling(statements: readonly ScannedStatement[]): Breaker[] {
  const out: Breaker[] = [];
  for (const s of statements) {
    const parsed = tryParseSql(s.text);
    const kinds = parsed.ok ? kindsInTree(parsed.result) : kindsByRegex(s.text);
    for (const kind of kinds) out.push({ kind, statement: s.text.length > 200 ? `${s.text.slice(0, 197)}...` : s.text, calls: s.calls, origin: s.origin });
  }
  return out.sort((a, b) => b.calls - a.calls || a.kind.localeCompare(b.kind));
}
