/** What the live database says about the table a plan changes (all optional: without --db the plan states its assumptions). */
export interface IndexFact {
  readonly name: string;
  /** pg_get_indexdef */
  readonly definition: string;
  readonly primary: boolean;
  readonly unique: boolean;
  /** the constraint the index backs (primary key, unique, exclusion), if any */
  readonly constraint: string | null;
}

export interface ConstraintFact {
  readonly name: string;
  /** pg_get_constraintdef */
  readonly definition: string;
}

export interface IncomingFkFact extends ConstraintFact {
  /** the referencing table, schema-qualified */
  readonly table: string;
}

export interface TableFacts {
  readonly rowEstimate: number | null;
  /** single integer primary-key column for range batches */
  readonly key: string | null;
  readonly columnNotNull: boolean | null;
  /** current type of the column (format_type) */
  readonly columnType: string | null;
  /** pg_get_expr of the column default, null when none or unknown */
  readonly columnDefault?: string | null;
  /** the column is GENERATED … AS IDENTITY */
  readonly columnIdentity?: boolean;
  /** sequence owned by the column (serial), schema-qualified */
  readonly ownedSequence?: string | null;
  /** indexes that contain the column */
  readonly columnIndexes: readonly IndexFact[];
  /** foreign keys of this table whose columns include the column */
  readonly outgoingFks?: readonly ConstraintFact[];
  /** foreign keys of other tables (or this one) that reference the column */
  readonly incomingFks?: readonly IncomingFkFact[];
  /** CHECK constraints that use the column */
  readonly checks?: readonly ConstraintFact[];
  /** for rename-table: indexes, constraints and owned sequences named after the table */
  readonly namedAfterTable?: readonly { readonly kind: 'index' | 'constraint' | 'sequence'; readonly name: string }[];
  /** for rename-table: table privileges granted to other roles, re-granted on the compatibility view */
  readonly tableGrants?: readonly { readonly grantee: string; readonly privileges: readonly string[] }[];
  /** the FK columns already lead an index (for add-fk) */
  readonly fkIndexed: boolean | null;
}
