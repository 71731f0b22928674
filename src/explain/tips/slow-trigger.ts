import type { Finding } from '../../model/index.ts';
import { indexCandidate } from './index-fix.ts';
import { count, defineTip, ms, tipFinding } from './plan-tip.ts';

export const TRIGGER_SHARE = 0.1;

export const slowTriggerTip = defineTip({
  id: 'plan-slow-trigger',
  title: 'Triggers or foreign-key checks take a large share of the statement',
  description: 'Trigger time ≥ 10 % of execution. Foreign-key cascades and checks without an index on the referencing column scan the child table once per row.',
  check({ plan, catalog }) {
    const out: Finding[] = [];
    const exec = plan.plan.executionTimeMs ?? 0;
    for (const t of plan.plan.triggers) {
      if (exec <= 0 || t.timeMs < 1 || t.timeMs / exec < TRIGGER_SHARE) continue;
      const fkName = t.constraintName;
      const isFk = t.constraintName !== null || t.name.startsWith('RI_ConstraintTrigger');
      const fk = fkName === null ? undefined : catalog?.foreignKeys.find((f) => f.name === fkName);
      const candidate = fk !== undefined && !fk.indexed ? indexCandidate(`${fk.schema}.${fk.table}`, fk.columns) : null;
      const label = isFk ? `foreign key ${t.constraintName ?? t.name}` : `trigger ${t.name}`;
      const perCall = t.calls > 0 ? t.timeMs / t.calls : t.timeMs;
      out.push(
        tipFinding(plan, {
          rule: 'plan-slow-trigger',
          node: plan.nodes[0] ?? null,
          title: `${isFk ? 'Foreign-key trigger' : 'Trigger'} ${t.constraintName ?? t.name} took ${ms(t.timeMs)} of ${ms(exec)} (${count(t.calls)} calls)`,
          savingMs: t.timeMs * (isFk ? 0.9 : 0.5),
          savingBasis: isFk ? 'trigger time × 0.9 (an index lookup per row instead of a scan)' : 'half the trigger time (depends on what the trigger does)',
          evidence: {
            trigger: t.name,
            constraint: t.constraintName,
            relation: t.relation,
            timeMs: t.timeMs,
            calls: t.calls,
            msPerCall: Math.round(perCall * 1000) / 1000,
            ...(fk === undefined ? {} : { referencingTable: `${fk.schema}.${fk.table}`, referencingColumns: [...fk.columns], referencingColumnsIndexed: fk.indexed }),
            // the FK checks run outside the statement's plan, so the planner's cost cannot show the gain
            ...(candidate === null ? {} : { indexDefinition: candidate.definition, verifyBy: 'sandbox' }),
          },
          description: isFk
            ? `Each of the ${count(t.calls)} rows fired the ${label} check or cascade (${ms(perCall)} per row). ` +
              (fk === undefined
                ? 'When the referencing columns of the foreign key have no index, every check or cascade scans the referencing table.'
                : fk.indexed
                  ? `${fk.schema}.${fk.table}(${fk.columns.join(', ')}) is indexed: the time is in the cascaded work itself.`
                  : `${fk.schema}.${fk.table}(${fk.columns.join(', ')}) has no index, so every row scans ${fk.table}.`)
            : `Trigger ${t.name} ran ${count(t.calls)} times at ${ms(perCall)} each; the statement is only as fast as its triggers.`,
          nextSteps: isFk
            ? fk === undefined
              ? [`find the referencing columns: SELECT conrelid::regclass, pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = '${t.constraintName ?? t.name}'; and index them`]
              : []
            : [`profile the trigger function (auto_explain.log_nested_statements = on shows the statements it runs)`],
          ...(candidate === null
            ? {}
            : {
                fix: { ...candidate.fix, verification: 'HypoPG cannot cost foreign-key checks: measure it with `db-optimize query --allow-writes --apply-in-sandbox`' },
                relation: `${fk?.schema}.${fk?.table}`,
                column: fk?.columns.join(',') ?? null,
              }),
        }),
      );
    }
    return out;
  },
});
