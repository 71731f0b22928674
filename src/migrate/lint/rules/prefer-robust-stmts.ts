import { alterCmds, isConcurrent } from './rule-helpers.ts';
import { bool, child, list, rangeVarName, strings, text } from '../../pg-ast.ts';
import type { LintRuleModule } from '../lint-types.ts';

export const preferRobustStmts: LintRuleModule = {
  meta: {
    id: "prefer-robust-stmts",
    level: "info",
    title: "Statement cannot be re-run after a partial failure",
    squawk: ["prefer-robust-stmts"],
    why: "Outside a transaction (or with CONCURRENTLY, which cannot run in one) a migration that fails half-way leaves some statements applied; re-running it then fails on the objects that already exist.",
    recipe: "-- use IF NOT EXISTS / IF EXISTS (CREATE INDEX CONCURRENTLY IF NOT EXISTS, ADD COLUMN IF NOT EXISTS, DROP … IF EXISTS), or wrap non-concurrent statements in a transaction",
  },
  valid: [
    "ALTER TABLE users ADD COLUMN IF NOT EXISTS nickname text;",
    "BEGIN;\nALTER TABLE users ADD COLUMN nickname text;\nCOMMIT;",
  ],
  invalid: [
    "ALTER TABLE users ADD COLUMN nickname text;",
    "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);",
  ],
  check(ctx) {
    const n = ctx.node;
    // a failed statement inside a transaction rolls back with the rest: only outside one does a re-run meet half-done work
    const robust = (ok: boolean, what: string, force = false): void => {
      if (!ok && (!ctx.inTransaction || force)) ctx.report(`${what} fails if re-run after a partial failure`);
    };
    if (ctx.kind === 'CreateStmt') robust(bool(n, 'if_not_exists'), `CREATE TABLE ${rangeVarName(n.relation)} without IF NOT EXISTS`);
    for (const a of alterCmds(ctx, true)) {
      const name = text(a.cmd, 'name') ?? '';
      if (a.sub === 'AT_AddColumn') robust(bool(a.cmd, 'missing_ok'), `ADD COLUMN ${text(child(a.def, 'ColumnDef'), 'colname') ?? '?'} without IF NOT EXISTS`);
      if (a.sub === 'AT_DropColumn') robust(bool(a.cmd, 'missing_ok'), `DROP COLUMN ${name} without IF EXISTS`);
      if (a.sub === 'AT_DropConstraint') robust(bool(a.cmd, 'missing_ok'), `DROP CONSTRAINT ${name} without IF EXISTS`);
      if (a.sub === 'AT_AlterColumnType' && ctx.existing(a.table) && !ctx.inTransaction) ctx.report(`ALTER COLUMN ${name} TYPE outside a transaction: if a later statement fails, the file is left half-applied`);
      if (a.sub === 'AT_AddConstraint') {
        const conname = text(child(a.def, 'Constraint'), 'conname');
        if (!(conname !== undefined && ctx.state.droppedConstraints.has(conname))) robust(false, `ADD CONSTRAINT ${conname ?? ''} (no IF NOT EXISTS form; drop it IF EXISTS first)`);
      }
      if (a.sub === 'AT_DetachPartition') {
        const pc = child(a.def, 'PartitionCmd');
        robust(false, `DETACH PARTITION ${rangeVarName(child(pc, 'name'))}`, bool(pc, 'concurrent'));
      }
    }
    if (ctx.kind === 'IndexStmt') {
      const name = text(n, 'idxname');
      if (name === undefined && (isConcurrent(n) || !ctx.inTransaction)) ctx.report('index has no explicit name: IF NOT EXISTS cannot guard a re-run');
      else robust(bool(n, 'if_not_exists'), `CREATE INDEX ${name ?? ''} without IF NOT EXISTS`, isConcurrent(n));
    }
    if (ctx.kind === 'DropStmt') {
      const type = (text(n, 'removeType') ?? '').replace('OBJECT_', '');
      const names = list(n.objects).map((o) => strings(child(o, 'List')?.items).join('.') || (text(child(o, 'String'), 'sval') ?? '?'));
      robust(bool(n, 'missing_ok'), `DROP ${type} ${names.join(', ')} without IF EXISTS`, type === 'INDEX' && isConcurrent(n));
    }
  },
};
