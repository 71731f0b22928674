import type { Finding, Fix } from '../../model/index.ts';
import type { EnrichedNode, EnrichedPlan } from '../enrich-plan.ts';

/** Index facts of the database the plan ran on (query command); null offline. */
export interface PlanCatalogIndex {
  /** table name as plans print it (unqualified) */
  readonly table: string;
  readonly schema: string;
  readonly name: string;
  /** key columns (expressions as text) */
  readonly columns: readonly string[];
  readonly definition: string;
}

export interface PlanCatalogForeignKey {
  readonly name: string;
  readonly table: string;
  readonly schema: string;
  readonly columns: readonly string[];
  readonly referencedTable: string;
  /** an index leads with the referencing columns */
  readonly indexed: boolean;
}

export interface PlanCatalog {
  readonly indexes: readonly PlanCatalogIndex[];
  readonly foreignKeys: readonly PlanCatalogForeignKey[];
}

export interface PlanTipContext {
  readonly plan: EnrichedPlan;
  /** threshold overrides by "<tip id>.<name>" (see each tip's `thresholds` for names and defaults) */
  readonly thresholds?: Readonly<Record<string, number>>;
  /** statement text when known (query command, auto_explain "Query Text") */
  readonly sql: string | null;
  readonly catalog: PlanCatalog | null;
}

/**
 * A tip is a pure check over an enriched plan, one file per tip. The index advisor and the
 * rewriter plug in as further tips (or providers returning findings) without changing the engine.
 */
export interface PlanTipThreshold {
  readonly default: number;
  readonly description: string;
}

export interface PlanTip {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** the numbers the tip decides with, each overridable through PlanTipContext.thresholds */
  readonly thresholds?: Readonly<Record<string, PlanTipThreshold>>;
  check(context: PlanTipContext): readonly Finding[];
}

export function defineTip<T extends PlanTip>(tip: T): T {
  return tip;
}

/** A tip's threshold: the caller's override or the tip's default. */
export function threshold(context: PlanTipContext, tip: PlanTip, name: string): number {
  const own = tip.thresholds?.[name];
  if (own === undefined) throw new Error(`tip ${tip.id} has no threshold ${name}`);
  return context.thresholds?.[`${tip.id}.${name}`] ?? own.default;
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function ms(n: number | null): string {
  if (n === null) return '?';
  if (n >= 10_000) return `${round(n / 1000, 1)} s`;
  if (n >= 100) return `${Math.round(n)} ms`;
  return `${round(n, n < 1 ? 3 : 1)} ms`;
}

export function count(n: number): string {
  if (n >= 1e9) return `${round(n / 1e9, 1)}G`;
  if (n >= 1e6) return `${round(n / 1e6, 1)}M`;
  if (n >= 1e4) return `${round(n / 1e3, 1)}k`;
  return String(Math.round(n));
}

const LABELS = new WeakMap<EnrichedNode, string>();

/** "Seq Scan on orders o" — how a node is named in titles. */
export function nodeLabel(n: EnrichedNode): string {
  let label = LABELS.get(n);
  if (label === undefined) {
    label = computeLabel(n);
    LABELS.set(n, label);
  }
  return label;
}

function computeLabel(n: EnrichedNode): string {
  const node = n.node;
  const type = `${node.partialMode === 'Partial' || node.partialMode === 'Finalize' ? `${node.partialMode} ` : ''}${node.parallelAware ? 'Parallel ' : ''}${textNodeType(n)}`;
  if (node.indexName !== null && node.relationName !== null) return `${type} using ${node.indexName} on ${node.relationName}`;
  if (node.indexName !== null) return `${type} on ${node.indexName}`;
  if (node.relationName !== null) return `${type} on ${node.relationName}${node.alias !== null && node.alias !== node.relationName ? ` ${node.alias}` : ''}`;
  if (node.cteName !== null) return `${type} on ${node.cteName}`;
  if (node.functionName !== null) return `${type} on ${node.functionName}`;
  return type;
}

const AGG_NAMES: Readonly<Record<string, string>> = { Hashed: 'HashAggregate', Sorted: 'GroupAggregate', Mixed: 'MixedAggregate', Plain: 'Aggregate' };

/** The node type as text EXPLAIN prints it: "Hash Right Join", "HashAggregate", "Update". */
export function textNodeType(n: EnrichedNode): string {
  const node = n.node;
  if (node.nodeType === 'Aggregate') return AGG_NAMES[node.strategy ?? 'Plain'] ?? 'Aggregate';
  if (node.nodeType === 'ModifyTable' && node.operation !== null) return node.operation;
  if (node.joinType !== null && node.joinType !== 'Inner') {
    if (node.nodeType === 'Nested Loop') return `Nested Loop ${node.joinType} Join`;
    return node.nodeType.replace(/ Join$/, ` ${node.joinType} Join`);
  }
  if (node.nodeType === 'Index Scan' && node.scanDirection === 'Backward') return 'Index Scan Backward';
  return node.nodeType;
}

export interface TipFindingInput {
  readonly rule: string;
  readonly node: EnrichedNode | null;
  readonly title: string;
  /** milliseconds per execution acting on the tip could save (estimate) */
  readonly savingMs: number;
  readonly evidence: Finding['evidence'];
  readonly description: string;
  readonly nextSteps?: readonly string[];
  readonly fix?: Fix;
  /** how the saving was estimated, shown with the evidence */
  readonly savingBasis: string;
  readonly relation?: string | null;
  /** an existing index the tip is about (proposed indexes live in the fix) */
  readonly index?: string | null;
  readonly column?: string | null;
}

/** A Finding for a plan node: severity from the share of execution time the tip could save. */
export function tipFinding(plan: EnrichedPlan, input: TipFindingInput): Finding {
  const total = plan.totalMs ?? 0;
  const saving = Math.max(0, Math.min(input.savingMs, total > 0 ? total : input.savingMs));
  const share = total > 0 ? saving / total : 0;
  const severity = saving >= 1000 || (share >= 0.5 && saving >= 100) ? 'critical' : share >= 0.1 || saving >= 100 ? 'warning' : 'info';
  const node = input.node;
  const relation = input.relation ?? node?.relation ?? null;
  // built by assignment rather than conditional spreads: plans with thousands of nodes make thousands of these
  const target: { -readonly [K in keyof Finding['target']]: Finding['target'][K] } = { kind: 'plan-node', nodePath: node?.path ?? '0' };
  if (relation !== null) target.relation = relation;
  if (input.index !== undefined && input.index !== null) target.index = input.index;
  if (input.column !== undefined && input.column !== null) target.column = input.column;
  const evidence: Record<string, Finding['evidence'][string]> = {};
  if (node !== null) {
    target.name = nodeLabel(node);
    evidence.node = target.name;
    evidence.nodePath = node.path;
    evidence.exclusiveMs = node.exclusiveMs === null ? null : round(node.exclusiveMs, 3);
    evidence.exclusiveShare = node.exclusiveShare === null ? null : round(node.exclusiveShare, 3);
  }
  Object.assign(evidence, input.evidence);
  evidence.estimatedSavingMs = round(saving, 3);
  evidence.savingBasis = input.savingBasis;
  const impact: { -readonly [K in keyof Finding['impact']]: Finding['impact'][K] } = {
    score: round(saving, 3),
    summary: total > 0 ? `could save ~${ms(saving)} of ${ms(total)} per execution (${Math.round(share * 100)} %)` : `could save ~${ms(saving)} per execution`,
  };
  if (total > 0) impact.workloadShare = round(share, 4);
  const finding: { -readonly [K in keyof Finding]: Finding[K] } = { rule: input.rule, severity, title: input.title, target, evidence, impact, description: input.description };
  if (input.nextSteps !== undefined) finding.nextSteps = input.nextSteps;
  if (input.fix !== undefined) finding.fix = input.fix;
  return finding;
}

/** Total rows a node removed with its filter, over all loops. */
export function removedTotal(removedPerLoop: number | null, n: EnrichedNode): number {
  return (removedPerLoop ?? 0) * (n.node.actualLoops ?? 1);
}
