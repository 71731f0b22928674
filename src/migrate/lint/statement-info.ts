import type { AstNode } from '../pg-ast.ts';
import { bool, child, list, rangeVarName, text } from '../pg-ast.ts';
import type { LintState } from './lint-state.ts';
import type { StatementInfo } from './lint-types.ts';

const NONE: StatementInfo = { lock: null, duration: null, needsTimeouts: false };

function cmdLock(cmd: AstNode | undefined): string {
  switch (text(cmd, 'subtype')) {
    case 'AT_ValidateConstraint':
    case 'AT_SetStatistics':
    case 'AT_SetOptions':
    case 'AT_ResetOptions':
    case 'AT_SetRelOptions':
    case 'AT_ResetRelOptions':
    case 'AT_AttachPartition':
      return 'SHARE UPDATE EXCLUSIVE';
    case 'AT_AddConstraint':
      return text(child(cmd?.def, 'Constraint'), 'contype') === 'CONSTR_FOREIGN' ? 'SHARE ROW EXCLUSIVE' : 'ACCESS EXCLUSIVE';
    default:
      return 'ACCESS EXCLUSIVE';
  }
}

/** The lock a statement takes and whether it can queue traffic (then it needs lock_timeout). */
export function statementInfo(kind: string, n: AstNode, state: Readonly<LintState>): StatementInfo {
  switch (kind) {
    case 'AlterTableStmt': {
      const table = rangeVarName(n.relation);
      const locks = list(n.cmds).map((c) => cmdLock(child(c, 'AlterTableCmd')));
      const strongest = locks.includes('ACCESS EXCLUSIVE') ? 'ACCESS EXCLUSIVE' : (locks[0] ?? 'ACCESS EXCLUSIVE');
      return { lock: `${strongest} on ${table}`, duration: 'metadata', needsTimeouts: state.existing(table) };
    }
    case 'RenameStmt': {
      const rel = rangeVarName(n.relation);
      return { lock: `ACCESS EXCLUSIVE on ${rel}`, duration: 'metadata', needsTimeouts: n.relation === undefined || state.existing(rel) };
    }
    case 'IndexStmt': {
      const table = rangeVarName(n.relation);
      return { lock: `${bool(n, 'concurrent') ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE'} on ${table}`, duration: 'scan', needsTimeouts: state.existing(table) };
    }
    case 'DropStmt': {
      const type = text(n, 'removeType');
      if (type === 'OBJECT_TABLE') return { lock: 'ACCESS EXCLUSIVE', duration: 'metadata', needsTimeouts: true };
      if (type === 'OBJECT_INDEX') return { lock: bool(n, 'concurrent') ? 'SHARE UPDATE EXCLUSIVE on the table' : 'ACCESS EXCLUSIVE on the table', duration: 'metadata', needsTimeouts: true };
      return NONE;
    }
    case 'TruncateStmt': {
      const rels = list(n.relations).map((r) => rangeVarName(child(r, 'RangeVar')));
      return { lock: `ACCESS EXCLUSIVE on ${rels.join(', ')}`, duration: 'metadata', needsTimeouts: true };
    }
    case 'DropdbStmt':
      return { lock: null, duration: null, needsTimeouts: true };
    case 'ReindexStmt': {
      const concurrent = list(n.params).some((p) => text(child(p, 'DefElem'), 'defname') === 'concurrently');
      return { lock: concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE on the table, ACCESS EXCLUSIVE on the index', duration: 'rewrite', needsTimeouts: true };
    }
    case 'VacuumStmt': {
      const full = list(n.options).some((p) => text(child(p, 'DefElem'), 'defname') === 'full');
      return full ? { lock: 'ACCESS EXCLUSIVE', duration: 'rewrite', needsTimeouts: true } : NONE;
    }
    case 'ClusterStmt':
      return { lock: 'ACCESS EXCLUSIVE', duration: 'rewrite', needsTimeouts: true };
    case 'LockStmt': {
      const rels = list(n.relations).map((r) => rangeVarName(child(r, 'RangeVar')));
      return { lock: `explicit lock mode ${String(n.mode ?? '?')} on ${rels.join(', ')}`, duration: null, needsTimeouts: true };
    }
    case 'RefreshMatViewStmt':
      return { lock: bool(n, 'concurrent') ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE', duration: 'rewrite', needsTimeouts: true };
    case 'UpdateStmt':
    case 'DeleteStmt':
      return { lock: `ROW EXCLUSIVE on ${rangeVarName(n.relation)}`, duration: 'scan', needsTimeouts: false };
    case 'AlterEnumStmt':
    case 'AlterDomainStmt':
      // waits for every transaction using the type (ALTER DOMAIN … ADD CONSTRAINT also scans its columns)
      return { lock: 'ACCESS EXCLUSIVE on the type', duration: 'metadata', needsTimeouts: true };
    default:
      return NONE;
  }
}
