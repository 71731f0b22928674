import type { Database } from '../collect/connection.ts';

export interface DependentView {
  /** schema-qualified, quoted */
  readonly name: string;
  readonly materialized: boolean;
  /** pg_get_viewdef */
  readonly definition: string;
  /** reloptions, e.g. security_barrier=true */
  readonly options: readonly string[];
  readonly owner: string;
  readonly grants: readonly { readonly grantee: string; readonly privileges: readonly string[] }[];
}

export interface ColumnDependents {
  /** views reading the column, then views reading those: in creation order (drop in reverse) */
  readonly views: readonly DependentView[];
  /** the table's own foreign keys and CHECKs on the column (DROP COLUMN of the old column would drop them) */
  readonly constraints: readonly { readonly name: string; readonly definition: string }[];
}

/** Views and rules that depend on a column, directly or through other views (pg_depend → pg_rewrite). */
async function dependentViews(db: Database, table: string, column: string): Promise<DependentView[]> {
  return db.query<DependentView>(
    `WITH RECURSIVE col AS (
       SELECT a.attrelid, a.attnum FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attname = $2
     ), deps(oid, depth) AS (
       SELECT r.ev_class, 1 FROM col JOIN pg_depend d ON d.refclassid = 'pg_class'::regclass AND d.refobjid = col.attrelid AND d.refobjsubid = col.attnum
         JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid
       WHERE r.ev_class <> col.attrelid
       UNION
       SELECT r.ev_class, deps.depth + 1 FROM deps JOIN pg_depend d ON d.refclassid = 'pg_class'::regclass AND d.refobjid = deps.oid
         JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid
       WHERE r.ev_class <> deps.oid AND deps.depth < 50
     )
     SELECT format('%I.%I', n.nspname, c.relname) AS name, c.relkind = 'm' AS materialized, pg_get_viewdef(c.oid) AS definition,
            coalesce(c.reloptions, '{}') AS options, pg_get_userbyid(c.relowner) AS owner,
            coalesce((SELECT json_agg(json_build_object('grantee', g.grantee, 'privileges', g.privileges)) FROM (
              SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END AS grantee, array_agg(a.privilege_type ORDER BY a.privilege_type) AS privileges
              FROM aclexplode(c.relacl) a WHERE a.grantee <> c.relowner GROUP BY 1 ORDER BY 1) g), '[]') AS grants
     FROM (SELECT oid, max(depth) AS depth FROM deps GROUP BY oid) d JOIN pg_class c ON c.oid = d.oid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('v', 'm')
     ORDER BY d.depth, 1`,
    [table, column],
  );
}

/** What must move with a column when an expand/contract plan swaps it for a new one. */
export async function columnDependents(db: Database, table: string, column: string): Promise<ColumnDependents> {
  const constraints = await db.query<{ name: string; definition: string }>(
    `SELECT c.conname AS name, pg_get_constraintdef(c.oid) AS definition
     FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
     WHERE c.conrelid = to_regclass($1) AND a.attname = $2 AND c.contype IN ('f', 'c')
     ORDER BY 1`,
    [table, column],
  );
  return { views: await dependentViews(db, table, column), constraints };
}

/** Objects outside a table that follow its OID, not its name: after a rename they stay on the old table. */
export async function tableDependents(db: Database, table: string): Promise<{ incomingFks: string[]; views: string[]; grants: string[] }> {
  const rows = await db.query<{ kind: string; name: string }>(
    `SELECT 'fk' AS kind, format('%s.%I', c.conrelid::regclass, c.conname) AS name FROM pg_constraint c
       WHERE c.contype = 'f' AND c.confrelid = to_regclass($1) AND c.conrelid <> c.confrelid
     UNION ALL
     SELECT DISTINCT 'view', r.ev_class::regclass::text FROM pg_depend d JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid
       WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = to_regclass($1) AND r.ev_class <> d.refobjid
     UNION ALL
     SELECT 'grant', CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END || ' ' || a.privilege_type
       FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a WHERE c.oid = to_regclass($1) AND a.grantee <> c.relowner
     ORDER BY 1, 2`,
    [table],
  );
  const of = (kind: string): string[] => rows.filter((r) => r.kind === kind).map((r) => r.name);
  return { incomingFks: of('fk'), views: of('view'), grants: of('grant') };
}
