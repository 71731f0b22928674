import type { Queryable } from './connection.ts';

/** Where code runs that a statement does not spell out. */
export type HiddenCodeSource = 'view' | 'policy' | 'domain' | 'cast';

/** Code behind a relation or a cast the statement names. */
export interface HiddenCode {
  readonly via: HiddenCodeSource;
  /** the view, the table with the policy, the domain, or the cast's target type */
  readonly viaSchema: string;
  readonly viaName: string;
  /** the policy or domain constraint name, or the cast's source type */
  readonly viaDetail: string | null;
  /** view, policy and domain: the server's own text of the code (a SELECT, or an expression) */
  readonly sql: string | null;
  /** cast: the VOLATILE function it runs */
  readonly function: { readonly schema: string; readonly name: string } | null;
}

interface Ref {
  readonly schema: string | null;
  readonly name: string;
}

/*
 * The relations the statement names, then every relation their view definitions (pg_rewrite)
 * read, transitively (pg_depend; views in pg_catalog and information_schema are trusted). What
 * runs behind them comes back as the server deparses it: view definitions, row security policy
 * expressions, CHECK constraints of domains the views or the statement cast to (and their base
 * domains); casts to those types come back as their function when it is VOLATILE. Built-in
 * functions are pinned and have no pg_depend rows, hence the texts for the caller to parse.
 */
const HIDDEN_CODE_SQL = `
WITH RECURSIVE
rel(oid) AS (
  SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN unnest($1::text[], $2::text[]) AS r(schema, name)
      ON c.relname = r.name AND ((r.schema IS NULL AND pg_table_is_visible(c.oid)) OR n.nspname = r.schema)
  UNION
  SELECT d.refobjid FROM rel
    JOIN pg_class c ON c.oid = rel.oid AND c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
    JOIN pg_rewrite rw ON rw.ev_class = rel.oid
    JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid AND d.refclassid = 'pg_class'::regclass
),
user_rel AS (
  SELECT c.oid, n.nspname, c.relname, c.relkind, c.relrowsecurity FROM rel JOIN pg_class c ON c.oid = rel.oid
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
),
typ(oid) AS (
  SELECT t.oid FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    JOIN unnest($3::text[], $4::text[]) AS r(schema, name)
      ON t.typname = r.name AND ((r.schema IS NULL AND pg_type_is_visible(t.oid)) OR n.nspname = r.schema)
  UNION
  SELECT d.refobjid FROM user_rel u JOIN pg_rewrite rw ON rw.ev_class = u.oid
    JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid AND d.refclassid = 'pg_type'::regclass
  UNION
  SELECT t.typbasetype FROM typ JOIN pg_type t ON t.oid = typ.oid AND t.typtype = 'd'
)
SELECT 'view' AS via, u.nspname AS via_schema, u.relname AS via_name, NULL::text AS via_detail,
       pg_get_viewdef(u.oid) AS sql, NULL::name AS fn_schema, NULL::name AS fn_name
  FROM user_rel u WHERE u.relkind IN ('v', 'm')
UNION ALL
SELECT 'policy', u.nspname, u.relname, pol.polname::text,
       concat_ws(' AND ', pg_get_expr(pol.polqual, pol.polrelid), pg_get_expr(pol.polwithcheck, pol.polrelid)), NULL, NULL
  FROM user_rel u JOIN pg_policy pol ON pol.polrelid = u.oid WHERE u.relrowsecurity
UNION ALL
SELECT 'domain', n.nspname, t.typname::text, con.conname::text, pg_get_expr(con.conbin, 0), NULL, NULL
  FROM typ JOIN pg_type t ON t.oid = typ.oid AND t.typtype = 'd' JOIN pg_namespace n ON n.oid = t.typnamespace
  JOIN pg_constraint con ON con.contypid = t.oid AND con.conbin IS NOT NULL
UNION ALL
SELECT 'cast', n.nspname, t.typname::text, format_type(c.castsource, NULL), NULL, pn.nspname, p.proname
  FROM typ JOIN pg_cast c ON c.casttarget = typ.oid JOIN pg_proc p ON p.oid = c.castfunc AND p.provolatile = 'v'
  JOIN pg_namespace pn ON pn.oid = p.pronamespace
  JOIN pg_type t ON t.oid = typ.oid JOIN pg_namespace n ON n.oid = t.typnamespace
ORDER BY 1, 2, 3, 4`;

/** One round trip: the code behind the relations and cast types a statement names. */
export async function hiddenCode(db: Queryable, relations: readonly Ref[], castTypes: readonly Ref[]): Promise<HiddenCode[]> {
  if (relations.length === 0 && castTypes.length === 0) return [];
  const rows = await db.query<{
    via: HiddenCodeSource;
    via_schema: string;
    via_name: string;
    via_detail: string | null;
    sql: string | null;
    fn_schema: string | null;
    fn_name: string | null;
  }>(HIDDEN_CODE_SQL, [relations.map((r) => r.schema), relations.map((r) => r.name), castTypes.map((t) => t.schema), castTypes.map((t) => t.name)]);
  return rows.map((r) => ({
    via: r.via,
    viaSchema: r.via_schema,
    viaName: r.via_name,
    viaDetail: r.via_detail,
    sql: r.sql,
    function: r.fn_schema !== null && r.fn_name !== null ? { schema: r.fn_schema, name: r.fn_name } : null,
  }));
}
