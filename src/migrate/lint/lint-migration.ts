import { DbOptimizeError } from '../../errors/index.ts';
import { describeParseError } from '../../sql/parser.ts';
import { parseSync } from 'libpg-query';
import { deparseSync } from 'pgsql-deparser';
import { initSqlParser } from '../../sql/index.ts';
import type { AstNode } from '../pg-ast.ts';
import { bool, child, classifyDefault, list, rangeVarName, strings, text, typeInfo, unwrap } from '../pg-ast.ts';
import { lintRule, resolveRuleName } from './lint-rules.ts';
import { statementSpans } from './statement-spans.ts';
import type { StatementSpan } from './statement-spans.ts';

export type DurationClass = 'metadata' | 'scan' | 'rewrite';

export interface LintOptions {
  readonly file: string;
  /** PostgreSQL major version the migration will run on */
  readonly pgVersion: number;
  /** the framework wraps each migration in a transaction (Rails, Django, Alembic by default) */
  readonly assumeInTransaction?: boolean;
  /** rule ids (ours or squawk's) to ignore everywhere */
  readonly exclude?: readonly string[];
}

export interface LintViolation {
  readonly rule: string;
  readonly severity: 'critical' | 'warning' | 'info';
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly statement: string;
  /** lock the statement takes, e.g. "ACCESS EXCLUSIVE on public.users" */
  readonly lock: string | null;
  readonly duration: DurationClass | null;
  readonly message: string;
  readonly why: string;
  readonly recipe: string;
}

export interface LintResult {
  readonly file: string;
  readonly statements: number;
  readonly violations: readonly LintViolation[];
  readonly suppressed: readonly { readonly rule: string; readonly line: number }[];
}

const SUPPRESS = /(?:db-optimize-ignore|squawk-ignore)(-file)?(?:\s+|$)([\w\s,-]*)/i;

interface TxState {
  inTx: boolean;
  ddlTables: Set<string>;
  notValid: Set<string>;
  localLockTimeout: boolean;
  localStatementTimeout: boolean;
}

interface StatementInfo {
  lock: string | null;
  duration: DurationClass | null;
  /** takes a lock on an existing relation that blocks traffic while it waits */
  needsTimeouts: boolean;
}

const INT_TYPES = new Set(['int4', 'int', 'integer', 'serial', 'serial4']);
const SMALL_TYPES = new Set(['int2', 'smallint', 'smallserial', 'serial2']);
const SERIAL_TYPES = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

/** Parses and lints one migration; throws E_SQL_PARSE with file:line:column when it does not parse. */
export async function lintMigration(source: string, options: LintOptions): Promise<LintResult> {
  await initSqlParser();
  let parsed: { stmts?: unknown[] };
  try {
    parsed = parseSync(source) as { stmts?: unknown[] };
  } catch (error) {
    const d = describeParseError(source, error);
    const at = d.line === null ? '' : `:${d.line}:${d.column}`;
    throw new DbOptimizeError('E_SQL_PARSE', 'input', `${options.file}${at}: migration does not parse as PostgreSQL: ${d.message}`, {
      hint: 'db-optimize lints PostgreSQL migrations (PostgreSQL 18 grammar); MySQL/SQLite syntax and psql meta-commands are not accepted.',
      details: { file: options.file, line: d.line, column: d.column },
      cause: error,
    });
  }
  return lintStatements(source, statementSpans(source, parsed.stmts ?? []), options);
}

function lintStatements(source: string, spans: readonly StatementSpan[], options: LintOptions): LintResult {
  const pg = options.pgVersion;
  const excluded = new Set((options.exclude ?? []).flatMap(resolveRuleName));
  const fileIgnores = new Set<string>();
  let fileIgnoreAll = false;
  for (const m of source.matchAll(new RegExp(SUPPRESS.source, 'gi'))) {
    if (m[1] === undefined) continue;
    const names = (m[2] ?? '').split(/[\s,]+/).filter((s) => s !== '');
    if (names.length === 0) fileIgnoreAll = true;
    for (const n of names) for (const id of resolveRuleName(n)) fileIgnores.add(id);
  }

  const violations: LintViolation[] = [];
  const suppressed: { rule: string; line: number }[] = [];
  const created = new Set<string>();
  const droppedConstraints = new Set<string>();
  let lockTimeout = false;
  let statementTimeout = false;
  let lockTimeoutReported = false;
  let statementTimeoutReported = false;
  const tx: TxState = { inTx: false, ddlTables: new Set(), notValid: new Set(), localLockTimeout: false, localStatementTimeout: false };
  const assumeTx = options.assumeInTransaction === true;
  const inTransaction = (): boolean => tx.inTx || assumeTx;
  let lastBegin: StatementSpan | null = null;

  for (const span of spans) {
    const statementIgnores = new Set<string>();
    for (const c of span.leadingComments) {
      const m = SUPPRESS.exec(c);
      if (m === null || m[1] !== undefined) continue;
      for (const n of (m[2] ?? '').split(/[\s,]+/).filter((s) => s !== '')) for (const id of resolveRuleName(n)) statementIgnores.add(id);
    }
    const info: StatementInfo = { lock: null, duration: null, needsTimeouts: false };
    const emit = (rule: string, message: string, recipe?: string): void => {
      const meta = lintRule(rule);
      if (excluded.has(rule)) return;
      if (fileIgnoreAll || fileIgnores.has(rule) || statementIgnores.has(rule)) {
        suppressed.push({ rule, line: span.line });
        return;
      }
      if (violations.some((v) => v.rule === rule && v.line === span.line && v.message === message)) return;
      violations.push({
        rule,
        severity: meta.severity,
        file: options.file,
        line: span.line,
        column: span.column,
        endLine: span.endLine,
        statement: span.text.length > 240 ? `${span.text.slice(0, 237)}...` : span.text,
        lock: info.lock,
        duration: info.duration,
        message,
        why: meta.why,
        recipe: recipe ?? meta.recipe,
      });
    };
    const existing = (name: string): boolean => !created.has(name);

    const un = unwrap(span.node);
    if (un === undefined) continue;
    const [kind, n] = un;

    const checkColumnType = (col: AstNode, table: string): void => {
      const t = typeInfo(child(col, 'typeName'));
      const colName = text(col, 'colname') ?? '?';
      if (t.name === 'bpchar' || t.name === 'char' || t.name === 'character') emit('ban-char-field', `${table}.${colName} is ${t.display}`);
      if ((t.name === 'varchar' || t.name === 'character varying') && t.mods.length > 0) emit('prefer-text-field', `${table}.${colName} is ${t.display}`);
      if (t.name === 'timestamp') emit('prefer-timestamp-tz', `${table}.${colName} is timestamp without time zone`);
      if (INT_TYPES.has(t.name) && !t.isArray) emit('prefer-bigint-over-int', `${table}.${colName} is ${t.display}`);
      if (SMALL_TYPES.has(t.name) && !t.isArray) emit('prefer-bigint-over-smallint', `${table}.${colName} is ${t.display}`);
      if (SERIAL_TYPES.has(t.name)) emit('prefer-identity', `${table}.${colName} is ${t.name}`);
      if (t.name === 'json') emit('adding-json-column', `${table}.${colName} is json`);
    };
    const robust = (ok: boolean, what: string, force = false): void => {
      if (!ok && (!inTransaction() || force)) emit('prefer-robust-stmts', `${what} fails if re-run after a partial failure`);
    };

    for (const id of longIdentifiers(span.text)) emit('identifier-too-long', `identifier "${id.slice(0, 40)}…" is ${Buffer.byteLength(id, 'utf8')} bytes; PostgreSQL keeps the first 63`);

    switch (kind) {
      case 'TransactionStmt': {
        const k = text(n, 'kind') ?? '';
        if (k === 'TRANS_STMT_BEGIN' || k === 'TRANS_STMT_START') {
          if (tx.inTx) emit('transaction-nesting', 'BEGIN inside an open transaction');
          else if (assumeTx) emit('transaction-nesting', 'BEGIN in a migration the framework already wraps in a transaction');
          tx.inTx = true;
          lastBegin = span;
        } else if (k === 'TRANS_STMT_COMMIT' || k === 'TRANS_STMT_ROLLBACK') {
          if (!tx.inTx) emit('transaction-nesting', `${k === 'TRANS_STMT_COMMIT' ? 'COMMIT' : 'ROLLBACK'} without an open transaction${assumeTx ? ' (ends the framework transaction early)' : ''}`);
          tx.inTx = false;
          tx.ddlTables.clear();
          tx.notValid.clear();
          tx.localLockTimeout = false;
          tx.localStatementTimeout = false;
          lastBegin = null;
        }
        break;
      }
      case 'VariableSetStmt': {
        const name = (text(n, 'name') ?? '').toLowerCase();
        const args = list(n.args);
        const value = args.map((a) => JSON.stringify(a)).join('');
        const disabled = /"ival":\{\}|"ival":\{"ival":0\}|"sval":"0"/.test(value) || text(n, 'kind') === 'VAR_RESET' || text(n, 'kind') === 'VAR_SET_DEFAULT';
        const local = bool(n, 'is_local');
        if (name === 'lock_timeout') {
          if (local) tx.localLockTimeout = !disabled;
          else lockTimeout = !disabled;
        }
        if (name === 'statement_timeout') {
          if (local) tx.localStatementTimeout = !disabled;
          else statementTimeout = !disabled;
        }
        break;
      }
      case 'CreateStmt': {
        const table = rangeVarName(n.relation);
        robust(bool(n, 'if_not_exists'), `CREATE TABLE ${table} without IF NOT EXISTS`);
        if (!bool(n, 'if_not_exists')) created.add(table);
        info.lock = null;
        for (const el of list(n.tableElts)) {
          const col = child(el, 'ColumnDef');
          if (col !== undefined) checkColumnType(col, table);
        }
        break;
      }
      case 'CreateTableAsStmt':
        break;
      case 'AlterTableStmt': {
        const table = rangeVarName(n.relation);
        const isExisting = existing(table);
        const cmds = list(n.cmds).map((c) => child(c, 'AlterTableCmd')).filter((c): c is AstNode => c !== undefined);
        // the weakest lock among the sub-commands decides the statement's lock; most take ACCESS EXCLUSIVE
        const locks = cmds.map((c) => cmdLock(c));
        const strongest = locks.includes('ACCESS EXCLUSIVE') ? 'ACCESS EXCLUSIVE' : (locks[0] ?? 'ACCESS EXCLUSIVE');
        info.lock = `${strongest} on ${table}`;
        info.needsTimeouts = isExisting;
        info.duration = 'metadata';
        if (isExisting) tx.ddlTables.add(table);
        for (const cmd of cmds) {
          const sub = text(cmd, 'subtype') ?? '';
          const def = cmd.def;
          switch (sub) {
            case 'AT_AddColumn': {
              const col = child(def, 'ColumnDef');
              if (col === undefined) break;
              const colName = text(col, 'colname') ?? '?';
              checkColumnType(col, table);
              robust(bool(cmd, 'missing_ok'), `ADD COLUMN ${colName} without IF NOT EXISTS`);
              const t = typeInfo(child(col, 'typeName'));
              const cons = list(col.constraints).map((c) => child(c, 'Constraint')).filter((c): c is AstNode => c !== undefined);
              const type = (c: AstNode): string => text(c, 'contype') ?? '';
              const defaultCon = cons.find((c) => type(c) === 'CONSTR_DEFAULT');
              const notNull = cons.some((c) => type(c) === 'CONSTR_NOTNULL');
              const generated = cons.find((c) => type(c) === 'CONSTR_GENERATED');
              const identity = cons.some((c) => type(c) === 'CONSTR_IDENTITY');
              const serial = SERIAL_TYPES.has(t.name);
              const dk = classifyDefault(defaultCon?.raw_expr);
              if (!isExisting) break;
              const defSql = defaultCon === undefined ? '' : deparseExpression(defaultCon.raw_expr);
              const splitRecipe = `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${colName} ${t.display};\nALTER TABLE ${table} ALTER COLUMN ${colName} SET DEFAULT ${defSql};\n-- backfill in batches, then NOT NULL via CHECK … NOT VALID + VALIDATE; the whole plan:\ndb-optimize migrate plan --add-column ${table}.${colName} "${t.display}${notNull ? ' NOT NULL' : ''} DEFAULT ${defSql.replace(/"/g, '\\"')}" --pg-version ${pg}`;
              if (dk === 'volatile') {
                info.duration = 'rewrite';
                emit('adding-field-with-default', `ADD COLUMN ${colName} has a volatile default: every row of ${table} is rewritten under ACCESS EXCLUSIVE`, splitRecipe);
              } else if (dk === 'unknown-function') {
                info.duration = 'rewrite';
                emit('adding-field-with-default', `ADD COLUMN ${colName} calls a function in its default; unless it is STABLE or IMMUTABLE (check pg_proc.provolatile) ${table} is rewritten`, splitRecipe);
              } else if (dk !== 'none' && pg < 11) {
                info.duration = 'rewrite';
                emit('adding-field-with-default', `ADD COLUMN ${colName} with a default rewrites ${table} on PostgreSQL ${pg} (only 11+ stores constant defaults in the catalog)`, splitRecipe);
              }
              if (serial || identity) {
                info.duration = 'rewrite';
                emit('adding-field-with-default', `ADD COLUMN ${colName} ${serial ? t.name : 'GENERATED AS IDENTITY'} fills every existing row from a sequence: ${table} is rewritten`);
              }
              if (generated !== undefined) {
                info.duration = 'rewrite';
                emit('adding-field-with-default', `ADD COLUMN ${colName} GENERATED … STORED computes every existing row: ${table} is rewritten`);
              }
              if (notNull && defaultCon === undefined && generated === undefined && !identity && !serial) {
                emit('adding-required-field', `ADD COLUMN ${colName} NOT NULL without a DEFAULT fails on a non-empty ${table} and breaks inserts from deployed code`);
              }
              if (cons.some((c) => type(c) === 'CONSTR_PRIMARY')) {
                info.duration = 'rewrite';
                emit('adding-serial-primary-key-field', `ADD COLUMN ${colName} … PRIMARY KEY builds a unique index on ${table} under ACCESS EXCLUSIVE`);
              }
              if (cons.some((c) => type(c) === 'CONSTR_UNIQUE')) emit('disallowed-unique-constraint', `ADD COLUMN ${colName} … UNIQUE builds an index on ${table} under ACCESS EXCLUSIVE`);
              const fk = cons.find((c) => type(c) === 'CONSTR_FOREIGN');
              if (fk !== undefined && !bool(fk, 'skip_validation')) {
                emit('adding-foreign-key-constraint', `ADD COLUMN ${colName} REFERENCES ${rangeVarName(fk.pktable)} takes SHARE ROW EXCLUSIVE on both tables`);
              }
              const check = cons.find((c) => type(c) === 'CONSTR_CHECK');
              if (check !== undefined && !bool(check, 'skip_validation') && defaultCon !== undefined) {
                emit('constraint-missing-not-valid', `ADD COLUMN ${colName} with a CHECK validates every row of ${table}`);
              }
              break;
            }
            case 'AT_AlterColumnType': {
              const col = child(def, 'ColumnDef');
              if (!isExisting) break;
              const t = typeInfo(child(col, 'typeName'));
              info.duration = 'rewrite';
              if (col !== undefined) checkColumnType({ ...col, colname: text(cmd, 'name') ?? '?' }, table);
              emit(
                'changing-column-type',
                `ALTER COLUMN ${text(cmd, 'name') ?? '?'} TYPE ${t.display} rewrites ${table} and its indexes unless the change is binary-compatible`,
                `db-optimize migrate plan --change-type ${table}.${text(cmd, 'name') ?? '?'} "${t.display}" --db $DATABASE_URL\n-- expand/contract: new column + sync trigger + batched backfill + swap in one short transaction`,
              );
              break;
            }
            case 'AT_SetNotNull':
              if (!isExisting) break;
              info.duration = 'scan';
              emit(
                'adding-not-nullable-field',
                `SET NOT NULL on ${table}.${text(cmd, 'name') ?? '?'} scans the table under ACCESS EXCLUSIVE${pg >= 12 ? ' unless a validated CHECK (… IS NOT NULL) already proves it' : ''}`,
                `db-optimize migrate plan --set-not-null ${table}.${text(cmd, 'name') ?? '?'} --pg-version ${pg}   # writes these steps:\n` +
                  `ALTER TABLE ${table} ADD CONSTRAINT ${table.split('.').pop() ?? 't'}_${text(cmd, 'name') ?? 'c'}_not_null CHECK (${text(cmd, 'name') ?? 'c'} IS NOT NULL) NOT VALID;\n` +
                  `ALTER TABLE ${table} VALIDATE CONSTRAINT ${table.split('.').pop() ?? 't'}_${text(cmd, 'name') ?? 'c'}_not_null;\n` +
                  (pg >= 12 ? `ALTER TABLE ${table} ALTER COLUMN ${text(cmd, 'name') ?? 'c'} SET NOT NULL; -- no scan: the valid CHECK proves it\nALTER TABLE ${table} DROP CONSTRAINT ${table.split('.').pop() ?? 't'}_${text(cmd, 'name') ?? 'c'}_not_null;` : `-- PostgreSQL ${pg}: keep the validated CHECK instead of SET NOT NULL (12+ can skip the scan)`),
              );
              break;
            case 'AT_DropNotNull':
              emit('ban-drop-not-null', `DROP NOT NULL on ${table}.${text(cmd, 'name') ?? '?'}`);
              break;
            case 'AT_DropColumn':
              robust(bool(cmd, 'missing_ok'), `DROP COLUMN ${text(cmd, 'name') ?? '?'} without IF EXISTS`);
              emit('ban-drop-column', `DROP COLUMN ${table}.${text(cmd, 'name') ?? '?'}`);
              break;
            case 'AT_AddConstraint': {
              const con = child(def, 'Constraint');
              if (con === undefined) break;
              const contype = text(con, 'contype') ?? '';
              const conname = text(con, 'conname');
              const notValid = bool(con, 'skip_validation');
              if (!(conname !== undefined && droppedConstraints.has(conname))) robust(false, `ADD CONSTRAINT ${conname ?? ''} (no IF NOT EXISTS form; drop it IF EXISTS first)`);
              if (notValid && conname !== undefined) tx.notValid.add(conname);
              if (!isExisting) break;
              const notValidRecipe = (): string => {
                const name = conname ?? `${(table.split('.').pop() ?? 't')}_${contype === 'CONSTR_FOREIGN' ? strings(con.fk_attrs).join('_') + '_fkey' : 'check'}`;
                const add = deparseStatement({ AlterTableStmt: { ...n, cmds: [{ AlterTableCmd: { ...cmd, def: { Constraint: { ...con, conname: name, skip_validation: true, initially_valid: false } } } }] } });
                return `${add};\nCOMMIT; -- or end the migration here\nALTER TABLE ${table} VALIDATE CONSTRAINT ${name}; -- separate transaction: SHARE UPDATE EXCLUSIVE, writes continue`;
              };
              if (contype === 'CONSTR_FOREIGN') {
                if (!notValid) {
                  info.duration = 'scan';
                  info.lock = `SHARE ROW EXCLUSIVE on ${table} and ${rangeVarName(con.pktable)}`;
                  emit('adding-foreign-key-constraint', `FOREIGN KEY ${conname ?? ''} to ${rangeVarName(con.pktable)} validates every row of ${table} while blocking writes to both tables`, notValidRecipe());
                  emit('constraint-missing-not-valid', `FOREIGN KEY ${conname ?? ''} without NOT VALID`, notValidRecipe());
                }
              } else if (contype === 'CONSTR_CHECK') {
                if (!notValid) {
                  info.duration = 'scan';
                  emit('constraint-missing-not-valid', `CHECK ${conname ?? ''} validates every row of ${table} under ACCESS EXCLUSIVE`, notValidRecipe());
                }
              } else if (contype === 'CONSTR_UNIQUE') {
                if (text(con, 'indexname') === undefined) {
                  info.duration = 'scan';
                  const keys = strings(con.keys);
                  const idx = conname ?? `${table.split('.').pop() ?? 't'}_${keys.join('_')}_key`;
                  const uniqueRecipe = `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${idx} ON ${table} (${keys.join(', ')}); -- outside a transaction\nALTER TABLE ${table} ADD CONSTRAINT ${idx} UNIQUE USING INDEX ${idx}; -- instant`;
                  emit('disallowed-unique-constraint', `UNIQUE ${conname ?? ''} builds its index on ${table} under ACCESS EXCLUSIVE`, uniqueRecipe);
                  emit('constraint-missing-not-valid', `UNIQUE ${conname ?? ''} validates every row while building its index`, uniqueRecipe);
                }
              } else if (contype === 'CONSTR_PRIMARY') {
                if (text(con, 'indexname') === undefined) {
                  info.duration = 'scan';
                  const keys = strings(con.keys);
                  const pkName = conname ?? `${table.split('.').pop() ?? 't'}_pkey`;
                  const pkRecipe = `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${pkName} ON ${table} (${keys.join(', ')}); -- outside a transaction\nALTER TABLE ${table} ADD CONSTRAINT ${pkName} PRIMARY KEY USING INDEX ${pkName}; -- scans only for NOT NULL unless the columns are NOT NULL already`;
                  emit('adding-serial-primary-key-field', `PRIMARY KEY on ${table} builds its index under ACCESS EXCLUSIVE`, pkRecipe);
                  emit('constraint-missing-not-valid', `PRIMARY KEY on ${table} validates every row while building its index`, pkRecipe);
                }
              } else if (contype === 'CONSTR_EXCLUSION') {
                info.duration = 'scan';
                emit('adding-exclusion-constraint', `EXCLUDE constraint on ${table} builds its index under ACCESS EXCLUSIVE`);
                emit('constraint-missing-not-valid', `EXCLUDE constraint on ${table} validates every row (it cannot be NOT VALID)`);
              } else if (contype === 'CONSTR_NOTNULL' && !notValid) {
                info.duration = 'scan';
                emit('adding-not-nullable-field', `NOT NULL constraint on ${table} scans the table under ACCESS EXCLUSIVE${pg >= 18 ? ' (add it NOT VALID, then VALIDATE)' : ''}`);
              }
              break;
            }
            case 'AT_ValidateConstraint': {
              const name = text(cmd, 'name') ?? '';
              info.duration = 'scan';
              if (tx.notValid.has(name)) {
                emit('constraint-missing-not-valid', `VALIDATE CONSTRAINT ${name} in the transaction that added it keeps ACCESS EXCLUSIVE for the whole scan`, `COMMIT; -- end the transaction that added ${name} NOT VALID\nALTER TABLE ${table} VALIDATE CONSTRAINT ${name}; -- own transaction: SHARE UPDATE EXCLUSIVE, reads and writes continue`);
              }
              break;
            }
            case 'AT_DropConstraint': {
              const name = text(cmd, 'name');
              if (name !== undefined && bool(cmd, 'missing_ok')) droppedConstraints.add(name);
              robust(bool(cmd, 'missing_ok'), `DROP CONSTRAINT ${name ?? ''} without IF EXISTS`);
              break;
            }
            case 'AT_DetachPartition': {
              const pc = child(def, 'PartitionCmd');
              const concurrent = bool(pc, 'concurrent');
              robust(false, `DETACH PARTITION ${rangeVarName(child(pc, 'name'))}`, concurrent);
              if (!concurrent) {
                const part = rangeVarName(child(pc, 'name'));
                emit(
                  'require-concurrent-partition-detach',
                  `DETACH PARTITION on ${table} takes ACCESS EXCLUSIVE on the partitioned table`,
                  pg >= 14
                    ? `ALTER TABLE ${table} DETACH PARTITION ${part} CONCURRENTLY; -- outside a transaction; if interrupted: ALTER TABLE ${table} DETACH PARTITION ${part} FINALIZE;`
                    : `-- DETACH … CONCURRENTLY needs PostgreSQL 14 (this migration targets ${pg}): detach in a quiet period with SET lock_timeout = '1s' and retry`,
                );
              }
              else if (inTransaction()) emit('ban-concurrent-index-creation-in-transaction', 'DETACH PARTITION … CONCURRENTLY cannot run inside a transaction block');
              break;
            }
            case 'AT_SetLogged':
            case 'AT_SetUnLogged':
            case 'AT_SetTableSpace':
            case 'AT_SetAccessMethod':
              if (!isExisting) break;
              info.duration = 'rewrite';
              emit('table-rewrite', `${sub.replace('AT_', '')} copies all of ${table} under ACCESS EXCLUSIVE`);
              break;
            default:
              break;
          }
        }
        break;
      }
      case 'RenameStmt': {
        const type = text(n, 'renameType') ?? '';
        const rel = rangeVarName(n.relation);
        info.lock = `ACCESS EXCLUSIVE on ${rel}`;
        info.duration = 'metadata';
        info.needsTimeouts = existing(rel);
        if (!existing(rel)) break;
        if (type === 'OBJECT_TABLE') {
          emit('renaming-table', `RENAME ${rel} TO ${text(n, 'newname') ?? '?'}`, `BEGIN;\nALTER TABLE ${rel} RENAME TO ${text(n, 'newname') ?? '?'};\nCREATE VIEW ${rel} AS SELECT * FROM ${text(n, 'newname') ?? '?'}; -- old code keeps working through the view\nCOMMIT;\n-- drop the view once every deployed release uses the new name`);
        }
        if (type === 'OBJECT_COLUMN') {
          emit('renaming-column', `RENAME COLUMN ${rel}.${text(n, 'subname') ?? '?'} TO ${text(n, 'newname') ?? '?'}`, `db-optimize migrate plan --rename ${rel}.${text(n, 'subname') ?? '?'} ${text(n, 'newname') ?? '?'}\n-- add the new column, sync both with a trigger, backfill, deploy code that uses the new name, then drop the old one`);
        }
        break;
      }
      case 'IndexStmt': {
        const table = rangeVarName(n.relation);
        const concurrent = bool(n, 'concurrent');
        const name = text(n, 'idxname');
        info.lock = `${concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE'} on ${table}`;
        info.duration = 'scan';
        info.needsTimeouts = existing(table);
        if (concurrent && inTransaction()) emit('ban-concurrent-index-creation-in-transaction', 'CREATE INDEX CONCURRENTLY cannot run inside a transaction block');
        if (name === undefined && (concurrent || !inTransaction())) emit('prefer-robust-stmts', 'index has no explicit name: IF NOT EXISTS cannot guard a re-run');
        else robust(bool(n, 'if_not_exists'), `CREATE INDEX ${name ?? ''} without IF NOT EXISTS`, concurrent);
        if (!concurrent && existing(table)) {
          const safe = deparseStatement({ IndexStmt: { ...n, concurrent: true, if_not_exists: true, idxname: name ?? `${(table.split('.').pop() ?? 't')}_${list(n.indexParams).map((p) => text(child(p, 'IndexElem'), 'name') ?? 'expr').join('_')}_idx`.slice(0, 63) } });
          emit('require-concurrent-index-creation', `CREATE INDEX ${name ?? ''} on ${table} blocks writes for the whole build`, `-- in its own migration, outside a transaction:\nSET lock_timeout = '1s';\n${safe};\n-- if it fails it leaves an INVALID index: DROP INDEX CONCURRENTLY IF EXISTS … and retry`);
        }
        if (list(n.indexParams).length > 3) emit('add-index-many-columns', `index ${name ?? ''} has ${list(n.indexParams).length} key columns`);
        break;
      }
      case 'DropStmt': {
        const type = text(n, 'removeType') ?? '';
        const names = list(n.objects).map((o) => strings(child(o, 'List')?.items ?? []).join('.') || text(child(o, 'String'), 'sval') || '?');
        const concurrent = bool(n, 'concurrent');
        const cascade = text(n, 'behavior') === 'DROP_CASCADE';
        if (type === 'OBJECT_TABLE') {
          info.lock = `ACCESS EXCLUSIVE on ${names.join(', ')}`;
          info.needsTimeouts = names.some(existing);
          robust(bool(n, 'missing_ok'), `DROP TABLE ${names.join(', ')} without IF EXISTS`);
          emit('ban-drop-table', `DROP TABLE ${names.join(', ')}`);
          if (cascade) emit('create-table-force', `DROP TABLE ${names.join(', ')} CASCADE drops dependent views and foreign keys`);
        } else if (type === 'OBJECT_INDEX') {
          info.lock = concurrent ? 'SHARE UPDATE EXCLUSIVE on the table' : 'ACCESS EXCLUSIVE on the table';
          info.needsTimeouts = true;
          robust(bool(n, 'missing_ok'), `DROP INDEX ${names.join(', ')} without IF EXISTS`, concurrent);
          if (!concurrent) emit('require-concurrent-index-deletion', `DROP INDEX ${names.join(', ')} takes ACCESS EXCLUSIVE on its table`, `-- outside a transaction, one index per statement:\n${names.map((x) => `DROP INDEX CONCURRENTLY IF EXISTS ${x};`).join('\n')}`);
          else if (inTransaction()) emit('ban-concurrent-index-creation-in-transaction', 'DROP INDEX CONCURRENTLY cannot run inside a transaction block');
        } else {
          robust(bool(n, 'missing_ok'), `DROP ${type.replace('OBJECT_', '')} ${names.join(', ')} without IF EXISTS`);
        }
        break;
      }
      case 'DropdbStmt':
        info.needsTimeouts = true;
        emit('ban-drop-database', `DROP DATABASE ${text(n, 'dbname') ?? ''}`);
        break;
      case 'TruncateStmt': {
        const rels = list(n.relations).map((r) => rangeVarName(child(r, 'RangeVar')));
        info.lock = `ACCESS EXCLUSIVE on ${rels.join(', ')}`;
        info.needsTimeouts = true;
        if (text(n, 'behavior') === 'DROP_CASCADE') emit('ban-truncate-cascade', `TRUNCATE ${rels.join(', ')} CASCADE also empties every table that references them`);
        break;
      }
      case 'CreateDomainStmt':
        if (list(n.constraints).some((c) => text(child(c, 'Constraint'), 'contype') === 'CONSTR_CHECK')) {
          emit('ban-create-domain-with-constraint', `CREATE DOMAIN ${strings(n.domainname).join('.')} with a CHECK`);
        }
        break;
      case 'AlterDomainStmt':
        if (text(n, 'subtype') === 'C') emit('ban-alter-domain-with-add-constraint', `ALTER DOMAIN ${strings(n.typeName).join('.')} ADD CONSTRAINT`);
        break;
      case 'AlterEnumStmt':
        if (text(n, 'newVal') !== undefined && text(n, 'newValNeighbor') === undefined) {
          emit('require-enum-value-ordering', `ADD VALUE '${text(n, 'newVal') ?? ''}' to ${strings(n.typeName).join('.')} without BEFORE/AFTER`);
        }
        break;
      case 'ReindexStmt': {
        const concurrent = list(n.params).some((p) => text(child(p, 'DefElem'), 'defname') === 'concurrently');
        info.lock = concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE on the table, ACCESS EXCLUSIVE on the index';
        info.duration = 'rewrite';
        info.needsTimeouts = true;
        if (!concurrent) {
          const target = text(n, 'name') ?? rangeVarName(n.relation);
          emit(
            'require-concurrent-reindex',
            `REINDEX ${target} blocks writes for the rebuild`,
            pg >= 12
              ? `REINDEX ${(text(n, 'kind') ?? 'REINDEX_OBJECT_INDEX').replace('REINDEX_OBJECT_', '')} CONCURRENTLY ${target}; -- outside a transaction (this spelling works on 12+)`
              : `-- REINDEX CONCURRENTLY needs PostgreSQL 12 (this migration targets ${pg}): CREATE INDEX CONCURRENTLY a copy, DROP INDEX CONCURRENTLY the old one, then rename the copy`,
          );
        }
        else if (inTransaction()) emit('ban-concurrent-index-creation-in-transaction', 'REINDEX CONCURRENTLY cannot run inside a transaction block');
        break;
      }
      case 'VacuumStmt': {
        const full = list(n.options).some((p) => text(child(p, 'DefElem'), 'defname') === 'full');
        if (full) {
          info.lock = 'ACCESS EXCLUSIVE';
          info.duration = 'rewrite';
          info.needsTimeouts = true;
          emit('prefer-repack', 'VACUUM FULL rewrites the table under ACCESS EXCLUSIVE');
        }
        break;
      }
      case 'ClusterStmt':
        info.lock = 'ACCESS EXCLUSIVE';
        info.duration = 'rewrite';
        info.needsTimeouts = true;
        emit('prefer-repack', `CLUSTER ${rangeVarName(n.relation)} rewrites the table under ACCESS EXCLUSIVE`);
        break;
      case 'LockStmt': {
        const rels = list(n.relations).map((r) => rangeVarName(child(r, 'RangeVar')));
        info.lock = `explicit lock mode ${String(n.mode ?? '?')} on ${rels.join(', ')}`;
        info.needsTimeouts = true;
        emit('lock-table', `LOCK TABLE ${rels.join(', ')}`);
        break;
      }
      case 'RefreshMatViewStmt':
        info.lock = bool(n, 'concurrent') ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE';
        info.needsTimeouts = true;
        if (!bool(n, 'concurrent')) emit('refresh-matview-blocking', `REFRESH MATERIALIZED VIEW ${rangeVarName(n.relation)} blocks every reader`);
        break;
      case 'UpdateStmt':
      case 'DeleteStmt': {
        const table = rangeVarName(n.relation);
        info.lock = `ROW EXCLUSIVE on ${table}`;
        info.duration = 'scan';
        if (inTransaction() && tx.ddlTables.size > 0) {
          emit('backfill-in-ddl-transaction', `${kind === 'UpdateStmt' ? 'UPDATE' : 'DELETE'} of ${table} runs while this transaction holds ACCESS EXCLUSIVE on ${[...tx.ddlTables].join(', ')}`);
        }
        if (n.whereClause === undefined && existing(table)) {
          emit('unbatched-backfill', `${kind === 'UpdateStmt' ? 'UPDATE' : 'DELETE'} without WHERE touches every row of ${table} in one transaction`);
        }
        if (kind === 'UpdateStmt') {
          const cols = list(n.targetList).map((t) => text(child(t, 'ResTarget'), 'name'));
          const dup = cols.find((c, i) => c !== undefined && cols.indexOf(c) !== i);
          if (dup !== undefined) emit('ban-duplicate-column-assignments', `column ${dup} is assigned twice`);
        }
        break;
      }
      default:
        break;
    }

    if (info.needsTimeouts) {
      const hasLock = lockTimeout || tx.localLockTimeout;
      const hasStatement = statementTimeout || tx.localStatementTimeout;
      if (!hasLock && !lockTimeoutReported) {
        lockTimeoutReported = true;
        emit('require-lock-timeout', `no lock_timeout is set before this statement (${info.lock ?? 'strong lock'})`);
      }
      if (!hasStatement && !statementTimeoutReported) {
        statementTimeoutReported = true;
        emit('require-statement-timeout', 'no statement_timeout is set before this statement');
      }
    }
  }
  if (tx.inTx && lastBegin !== null) {
    const begin: StatementSpan = lastBegin;
    const meta = lintRule('ban-uncommitted-transaction');
    if (!excluded.has(meta.id) && !fileIgnoreAll && !fileIgnores.has(meta.id)) {
      violations.push({
        rule: meta.id,
        severity: meta.severity,
        file: options.file,
        line: begin.line,
        column: begin.column,
        endLine: begin.endLine,
        statement: begin.text,
        lock: null,
        duration: null,
        message: 'BEGIN without a matching COMMIT before the end of the file',
        why: meta.why,
        recipe: meta.recipe,
      });
    }
  }
  violations.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
  return { file: options.file, statements: spans.length, violations, suppressed };
}

/** Identifiers over 63 bytes in a statement's text; string literals and comments are skipped. */
function longIdentifiers(sql: string): string[] {
  const out: string[] = [];
  const re = /'(?:[^']|'')*'|--[^\n]*|\/\*[\s\S]*?\*\/|\$(\w*)\$[\s\S]*?\$\1\$|"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*)/g;
  for (const m of sql.matchAll(re)) {
    const id = m[2] ?? m[3];
    if (id !== undefined && Buffer.byteLength(id, 'utf8') > 63) out.push(id);
  }
  return out;
}

function deparseStatement(stmt: AstNode): string {
  try {
    return deparseSync({ stmts: [{ stmt }] } as never).replace(/;\s*$/, '');
  } catch {
    return '-- (could not render the statement)';
  }
}

function deparseExpression(expr: unknown): string {
  const sql = deparseStatement({ SelectStmt: { targetList: [{ ResTarget: { val: expr } }], limitOption: 'LIMIT_OPTION_DEFAULT', op: 'SETOP_NONE' } });
  return sql.replace(/^SELECT\s+/i, '');
}

function cmdLock(cmd: AstNode): string {
  switch (text(cmd, 'subtype')) {
    case 'AT_ValidateConstraint':
    case 'AT_SetStatistics':
    case 'AT_SetOptions':
    case 'AT_ResetOptions':
    case 'AT_SetRelOptions':
    case 'AT_ResetRelOptions':
    case 'AT_AttachPartition':
      return 'SHARE UPDATE EXCLUSIVE';
    case 'AT_AddConstraint': {
      const con = child(cmd.def, 'Constraint');
      return text(con, 'contype') === 'CONSTR_FOREIGN' ? 'SHARE ROW EXCLUSIVE' : 'ACCESS EXCLUSIVE';
    }
    default:
      return 'ACCESS EXCLUSIVE';
  }
}
