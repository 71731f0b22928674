import type { Database } from './connection.ts';

/** Where pg_cron lives and what pg_partman manages: what `maintain` needs beyond the Snapshot. */
export interface CronFacts {
  /** pg_cron is in shared_preload_libraries (its settings exist); null: this role may not read the setting */
  readonly preloaded: boolean | null;
  /** cron.database_name: the database whose cron.job table the scheduler reads */
  readonly database: string | null;
  /** pg_cron's version when the extension is installed in the database we are connected to */
  readonly installedHere: string | null;
}

export interface PartmanFacts {
  /** schema holding pg_partman's functions and part_config (unquoted) */
  readonly schema: string;
  readonly version: string;
  /** parent tables pg_partman manages, as part_config spells them (schema.table) */
  readonly managed: readonly { readonly parent: string; readonly interval: string; readonly retention: string | null }[];
}

export interface PartitionFacts {
  /** parent table, qualified and quoted */
  readonly parent: string;
  readonly schema: string;
  readonly name: string;
  /** pg_get_partkeydef, e.g. "RANGE (created_at)" */
  readonly keyDefinition: string;
  /** the single key column when the key is one plain column, else null */
  readonly keyColumn: string | null;
  readonly keyType: string | null;
  readonly partitions: readonly { readonly name: string; readonly bound: string }[];
}

export interface MaintenanceFacts {
  readonly cron: CronFacts;
  readonly partman: PartmanFacts | null;
  readonly partitioned: readonly PartitionFacts[];
  /** the role can change tables it does not own (superuser) or owns them; for messages only */
  readonly superuser: boolean;
}

const CRON_SQL = `
SELECT (SELECT extversion FROM pg_extension WHERE extname = 'pg_cron') AS installed,
       (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser`;
// superuser-only setting: without pg_read_all_settings reading it is an error, not a NULL
const CRON_DATABASE_SQL = `SELECT current_setting('cron.database_name', true) AS database`;

const PARTMAN_SQL = `
SELECT n.nspname AS schema, e.extversion AS version
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname = 'pg_partman'`;

const PARTITIONED_SQL = `
SELECT n.nspname AS schema, c.relname AS name, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qname,
       pg_get_partkeydef(c.oid) AS keydef,
       CASE WHEN p.partnatts = 1 AND p.partattrs[0] <> 0 THEN a.attname END AS keycol,
       CASE WHEN p.partnatts = 1 AND p.partattrs[0] <> 0 THEN format_type(a.atttypid, a.atttypmod) END AS keytype,
       COALESCE((SELECT json_agg(json_build_object('name', quote_ident(cn.nspname) || '.' || quote_ident(ch.relname),
                                                   'bound', pg_get_expr(ch.relpartbound, ch.oid)) ORDER BY ch.relname)
                 FROM pg_inherits i JOIN pg_class ch ON ch.oid = i.inhrelid JOIN pg_namespace cn ON cn.oid = ch.relnamespace
                 WHERE i.inhparent = c.oid), '[]') AS partitions
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_partitioned_table p ON p.partrelid = c.oid
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = p.partattrs[0]
WHERE c.relkind = 'p' AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
ORDER BY 1, 2`;

interface CronRow { installed: string | null; superuser: boolean | null }
interface PartitionedRow { schema: string; name: string; qname: string; keydef: string; keycol: string | null; keytype: string | null; partitions: { name: string; bound: string }[] }

/** Reads the pg_cron location, pg_partman's configuration and the partitioned tables (read-only). */
export async function collectMaintenanceFacts(db: Database): Promise<MaintenanceFacts> {
  const [cronRow] = await db.query<CronRow>(CRON_SQL);
  let cronDatabase: string | null = null;
  let preloaded: boolean | null = null;
  try {
    cronDatabase = (await db.query<{ database: string | null }>(CRON_DATABASE_SQL))[0]?.database ?? null;
    preloaded = cronDatabase !== null;
  } catch (error) {
    if ((error as { code?: string }).code !== '42501') throw error;
  }
  const partmanRows = await db.query<{ schema: string; version: string }>(PARTMAN_SQL);
  let partman: PartmanFacts | null = null;
  const pm = partmanRows[0];
  if (pm !== undefined) {
    let managed: PartmanFacts['managed'] = [];
    try {
      // the schema name comes from the catalog: quoted by the server, not by string building
      const [q] = await db.query<{ sql: string }>(`SELECT format('SELECT parent_table, partition_interval, retention FROM %I.part_config', $1::text) AS sql`, [pm.schema]);
      const rows = await db.query<{ parent_table: string; partition_interval: string; retention: string | null }>(q?.sql ?? 'SELECT NULL WHERE false');
      managed = rows.map((r) => ({ parent: r.parent_table, interval: r.partition_interval, retention: r.retention }));
    } catch {
      managed = [];
    }
    partman = { schema: pm.schema, version: pm.version, managed };
  }
  const partitioned = (await db.query<PartitionedRow>(PARTITIONED_SQL)).map((r) => ({
    parent: r.qname,
    schema: r.schema,
    name: r.name,
    keyDefinition: r.keydef,
    keyColumn: r.keycol,
    keyType: r.keytype,
    partitions: r.partitions,
  }));
  return {
    cron: { preloaded, database: cronDatabase, installedHere: cronRow?.installed ?? null },
    partman,
    partitioned,
    superuser: cronRow?.superuser === true,
  };
}
