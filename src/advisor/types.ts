import type { Index, Table } from '../model/index.ts';
import type { WriteModelChoice } from './write-model.ts';

/** Index kinds the advisor proposes; the kind decides how a candidate can be evaluated. */
export type CandidateKind = 'btree' | 'covering' | 'partial' | 'expression' | 'gin-jsonb' | 'gin-array' | 'gin-trigram' | 'gin-fts' | 'brin' | 'widening';

export interface IndexKey {
  /** column name or parenthesised expression */
  readonly expr: string;
  readonly desc: boolean;
  readonly opclass?: string;
  /** expr is a deparsed expression, printed in parentheses; otherwise a raw column name, quoted */
  readonly isExpression?: boolean;
}

export interface Candidate {
  /** stable key: the definition without the CREATE keyword */
  readonly id: string;
  readonly kind: CandidateKind;
  readonly table: string;
  readonly method: 'btree' | 'gin' | 'brin';
  readonly keys: readonly IndexKey[];
  readonly include: readonly string[];
  readonly predicate: string | null;
  /** CREATE INDEX ON … (no name, no CONCURRENTLY): what HypoPG and the sandbox build */
  readonly definition: string;
  /** columns the index stores (keys, include, predicate, expression inputs): updates to them break HOT */
  readonly columns: readonly string[];
  /** existing index this one widens (its keys are a prefix of ours) */
  readonly widens?: string;
  /** needs an extension that is not installed (pg_trgm) */
  readonly needsExtension?: string;
  /** note shown with the recommendation (e.g. the query must use the same expression) */
  readonly note?: string;
  /** statement ids whose predicates produced it */
  readonly sources: readonly string[];
}

/** How a cost was obtained: HypoPG planner estimate, a real build in a rolled-back transaction, or not measured. */
export type CostMethod = 'hypopg' | 'sandbox' | 'none';

export interface AdvisorStatement {
  readonly id: string;
  readonly fingerprint: string;
  readonly text: string;
  /** calls per day (or raw calls when the window is unknown) */
  readonly weight: number;
  readonly kind: 'select' | 'update' | 'delete' | 'insert' | 'other';
  readonly tables: readonly string[];
  /** columns it filters, joins, sorts or groups on, per table */
  readonly indexable: Readonly<Record<string, readonly string[]>>;
  /** SQL texts planned for it: the generic plan and/or representative constant sets */
  readonly variants: readonly string[];
  readonly variantNotes: readonly string[];
}

export interface SkippedStatement {
  readonly fingerprint: string | null;
  readonly text: string;
  readonly reason: string;
}

export interface StatementCost {
  readonly fingerprint: string;
  readonly costBefore: number;
  readonly costAfter: number | null;
  readonly weight: number;
}

export interface WriteOverhead {
  /** index entries written per day (inserts + non-HOT updates + deletes, scaled by the partial predicate) */
  readonly entriesPerDay: number;
  /** the same in planner cost units per day, comparable with the read benefit */
  readonly costPerDay: number;
  /** updates per day that are HOT today and would stop being HOT */
  readonly breaksHotUpdatesPerDay: number;
  readonly breaksHotColumns: readonly string[];
}

export interface IndexRecommendation {
  readonly candidate: Candidate;
  /** CREATE INDEX CONCURRENTLY name ON … ; */
  readonly ddl: string;
  readonly name: string;
  readonly sizeBytes: number;
  readonly sizeMethod: 'hypopg' | 'sandbox' | 'estimate';
  readonly statements: readonly StatementCost[];
  /** weighted cost units saved per day */
  readonly benefitPerDay: number | null;
  readonly shareOfGain: number | null;
  readonly writeOverhead: WriteOverhead;
  readonly method: CostMethod;
  readonly verified: boolean;
  readonly verification: string;
}

export interface IndexProposal extends IndexRecommendation {
  /** why it is not in the recommended set */
  readonly reason: string;
}

export interface DropRecommendation {
  readonly index: Index;
  readonly replacedBy: string;
  readonly method: 'hypopg-hide' | 'sandbox-drop' | 'plan-usage' | 'prefix-redundancy';
  readonly evidence: string;
  /** workload weighted cost with and without the index (null when not measurable) */
  readonly costWith: number | null;
  readonly costWithout: number | null;
  readonly verified: boolean;
}

export interface StatementDecision {
  readonly fingerprint: string;
  readonly text: string;
  readonly weight: number;
  readonly costBefore: number | null;
  readonly costAfter: number | null;
  readonly decision: 'indexed' | 'proposal' | 'no-index';
  readonly reason: string;
}

export interface AdvisorResult {
  readonly method: CostMethod;
  readonly methodNote: string;
  readonly indexes: readonly IndexRecommendation[];
  readonly proposals: readonly IndexProposal[];
  readonly drops: readonly DropRecommendation[];
  readonly decisions: readonly StatementDecision[];
  readonly skipped: readonly SkippedStatement[];
  /** candidates that survived the first round (used alone, improving something): the search space */
  readonly candidatePool: readonly Candidate[];
  /** the statements that were planned */
  readonly statements: readonly AdvisorStatement[];
  readonly workload: { readonly costBefore: number; readonly costAfter: number | null; readonly statements: number };
  /** where write rates came from, per table, and why */
  readonly writeModel: WriteModelChoice;
  readonly stats: {
    readonly candidates: number;
    readonly whatIfCalls: number;
    readonly greedyRounds: number;
    readonly polish: string;
    readonly timedOut: boolean;
  };
  readonly notes: readonly string[];
}

export interface TableRef {
  readonly table: Table;
}
