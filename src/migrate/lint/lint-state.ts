import type { AstNode, TypeInfo } from '../pg-ast.ts';
import { bool, child, list, rangeVarName, strings, text, typeInfo, unwrap } from '../pg-ast.ts';
import type { StatementSpan } from './statement-spans.ts';

/** What the migration has done so far: transactions, timeouts, tables it created, constraints it added. */
export class LintState {
  inTx = false;
  lastBegin: StatementSpan | null = null;
  /** tables created earlier in this file: DDL on them cannot block anyone */
  readonly created = new Set<string>();
  readonly droppedConstraints = new Set<string>();
  lockTimeout = false;
  statementTimeout = false;
  localLockTimeout = false;
  localStatementTimeout = false;
  /** tables that DDL in the open transaction holds ACCESS EXCLUSIVE on */
  readonly ddlTables = new Set<string>();
  /** constraints added NOT VALID in the open transaction */
  readonly notValidInTx = new Set<string>();
  /** CHECK (col IS NOT NULL) constraints by name → "table.column" */
  readonly notNullChecks = new Map<string, string>();
  /** "table.column" proven NOT NULL by a validated CHECK: SET NOT NULL skips its scan on 12+ */
  readonly provenNotNull = new Set<string>();
  constructor(
    readonly assumeInTransaction: boolean,
    /** column types declared so far, by this file and earlier ones ("table.column" → type) */
    readonly columnTypes: Map<string, TypeInfo> = new Map(),
  ) {}

  get inTransaction(): boolean {
    return this.inTx || this.assumeInTransaction;
  }

  existing(relation: string): boolean {
    return !this.created.has(relation);
  }

  /** Applies a statement's effects, after the rules have seen it. */
  apply(kind: string, n: AstNode, span: StatementSpan): void {
    switch (kind) {
      case 'TransactionStmt':
        this.transaction(text(n, 'kind') ?? '', span);
        break;
      case 'VariableSetStmt':
        this.setting(n);
        break;
      case 'CreateStmt': {
        const table = rangeVarName(n.relation);
        if (!bool(n, 'if_not_exists')) this.created.add(table);
        for (const el of list(n.tableElts)) this.declareColumn(table, child(el, 'ColumnDef'));
        break;
      }
      case 'AlterTableStmt':
        this.alterTable(n);
        break;
      default:
        break;
    }
  }

  private transaction(k: string, span: StatementSpan): void {
    if (k === 'TRANS_STMT_BEGIN' || k === 'TRANS_STMT_START') {
      this.inTx = true;
      this.lastBegin = span;
    } else if (k === 'TRANS_STMT_COMMIT' || k === 'TRANS_STMT_ROLLBACK') {
      this.inTx = false;
      this.lastBegin = null;
      this.ddlTables.clear();
      this.notValidInTx.clear();
      this.localLockTimeout = false;
      this.localStatementTimeout = false;
    }
  }

  private setting(n: AstNode): void {
    const name = (text(n, 'name') ?? '').toLowerCase();
    const value = list(n.args).map((a) => JSON.stringify(a)).join('');
    const disabled = /"ival":\{\}|"ival":\{"ival":0\}|"sval":"0"/.test(value) || text(n, 'kind') === 'VAR_RESET' || text(n, 'kind') === 'VAR_SET_DEFAULT';
    const local = bool(n, 'is_local');
    if (name === 'lock_timeout') {
      if (local) this.localLockTimeout = !disabled;
      else this.lockTimeout = !disabled;
    }
    if (name === 'statement_timeout') {
      if (local) this.localStatementTimeout = !disabled;
      else this.statementTimeout = !disabled;
    }
  }

  private declareColumn(table: string, col: AstNode | undefined): void {
    const name = text(col, 'colname');
    if (col !== undefined && name !== undefined) this.columnTypes.set(`${table}.${name}`, typeInfo(child(col, 'typeName')));
  }

  private alterTable(n: AstNode): void {
    const table = rangeVarName(n.relation);
    if (this.existing(table) && this.inTransaction) this.ddlTables.add(table);
    for (const c of list(n.cmds)) {
      const cmd = child(c, 'AlterTableCmd');
      const sub = text(cmd, 'subtype');
      if (sub === 'AT_AddColumn') this.declareColumn(table, child(cmd?.def, 'ColumnDef'));
      if (sub === 'AT_AlterColumnType') this.columnTypes.set(`${table}.${text(cmd, 'name') ?? '?'}`, typeInfo(child(child(cmd?.def, 'ColumnDef'), 'typeName')));
      if (sub === 'AT_DropConstraint' && bool(cmd, 'missing_ok')) this.droppedConstraints.add(text(cmd, 'name') ?? '');
      if (sub === 'AT_ValidateConstraint') {
        const proven = this.notNullChecks.get(text(cmd, 'name') ?? '');
        if (proven !== undefined) this.provenNotNull.add(proven);
      }
      if (sub === 'AT_AddConstraint') this.addConstraint(table, child(cmd?.def, 'Constraint'));
    }
  }

  private addConstraint(table: string, con: AstNode | undefined): void {
    const name = text(con, 'conname');
    const notValid = bool(con, 'skip_validation');
    // outside a transaction each statement commits: a later VALIDATE runs on its own
    if (notValid && name !== undefined && this.inTransaction) this.notValidInTx.add(name);
    const column = text(con, 'contype') === 'CONSTR_CHECK' ? isNotNullColumn(con?.raw_expr) : null;
    if (column === null) return;
    if (name !== undefined) this.notNullChecks.set(name, `${table}.${column}`);
    if (!notValid) this.provenNotNull.add(`${table}.${column}`);
  }
}

/** The column of a `col IS NOT NULL` expression, else null. */
function isNotNullColumn(expr: unknown): string | null {
  const u = unwrap(expr);
  if (u === undefined || u[0] !== 'NullTest' || text(u[1], 'nulltesttype') !== 'IS_NOT_NULL') return null;
  const fields = strings(child(u[1].arg, 'ColumnRef')?.fields);
  return fields[fields.length - 1] ?? null;
}
