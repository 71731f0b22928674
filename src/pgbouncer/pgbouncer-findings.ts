import type { Finding } from '../model/index.ts';
import type { PgbouncerPlan } from './generate-pgbouncer-config.ts';
import type { PgbouncerVersion } from './pgbouncer-version.ts';
import { BREAKER_ADVICE } from './scan-transaction-pooling.ts';
import type { Breaker } from './scan-transaction-pooling.ts';

/** One finding per kind of statement that needs a session (critical when transaction pooling is chosen). */
export function breakerFindings(breakers: readonly Breaker[], poolMode: string): Finding[] {
  const byKind = new Map<string, Breaker[]>();
  for (const b of breakers) byKind.set(b.kind, [...(byKind.get(b.kind) ?? []), b]);
  return [...byKind.entries()].map(([kind, list]) => {
    const a = BREAKER_ADVICE[kind as Breaker['kind']];
    const calls = list.reduce((s, b) => s + b.calls, 0);
    return {
      rule: 'pgbouncer/transaction-pooling-breaker',
      severity: poolMode === 'session' ? 'warning' : 'critical',
      title: `${a.title} in ${list.length} statement${list.length === 1 ? '' : 's'} (${calls} calls) breaks transaction pooling`,
      target: { kind: 'statement', name: kind },
      evidence: { kind, calls, statements: list.slice(0, 5).map((b) => ({ statement: b.statement, calls: b.calls, origin: b.origin })) },
      impact: { score: calls, summary: a.why },
      description: `${a.why}. Instead: ${a.fix}.`,
      nextSteps: [a.fix],
    } satisfies Finding;
  });
}

/** The generated pgbouncer.ini as an info finding: what was chosen and why. */
export function configFinding(plan: PgbouncerPlan, clients: number, serverMaxConnections: number, version: PgbouncerVersion): Finding {
  return {
    rule: 'pgbouncer/config',
    severity: 'info',
    title: `pgbouncer.ini: pool_mode ${plan.poolMode}, ${plan.serverConnections} server connections for ${clients} clients`,
    target: { kind: 'file', name: 'pgbouncer.ini' },
    evidence: { poolMode: plan.poolMode, serverConnections: plan.serverConnections, clients, serverMaxConnections, pgbouncerVersion: version.text, versionSource: version.source },
    impact: { score: 1, summary: plan.poolModeReason },
    description: 'The pgbouncer.ini below (JSON: pgbouncer.ini) is ready to drop in; every value carries its reason as a comment.',
  };
}
