import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Database } from '../collect/connection.ts';
import type { Logger } from '../engine/analyze-database.ts';
import { assertModelStatement } from '../mcp/read-only-gate.ts';
import type { JsonSchemaObject, McpTool, ToolCall } from '../mcp/tool.ts';
import type { Report } from '../model/index.ts';
import { configFlow } from './config.ts';
import { explainFlow } from './explain.ts';
import type { Flow, FlowInput } from './flow.ts';
import { validateConfig } from './flow.ts';
import { fullFlow } from './full.ts';
import { indexesFlow } from './indexes.ts';
import { migrateLintFlow } from './migrate-lint.ts';
import { migratePlanFlow } from './migrate-plan.ts';
import { n1Flow } from './n1.ts';
import { camelCase } from './option-spec.ts';
import type { OptionSpecs } from './option-spec.ts';
import { pgbouncerFlow } from './pgbouncer.ts';
import { poolFlow } from './pool.ts';
import { profileFlow } from './profile.ts';
import { queryFlow } from './query.ts';
import { rewriteFlow } from './rewrite.ts';
import { schemaFlow } from './schema.ts';
import { ANALYSIS_OPTIONS } from './common-options.ts';

export interface McpToolContext {
  /** the server's pool, locked read-only; every read tool runs on it */
  readonly db: Database;
  /** the URL the server was started with (write tools open their own session with it) */
  readonly url: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
}

const NUMERIC = new Set(['N', 'MS', 'MB', 'SECONDS', 'PCT', 'FRACTION', 'P', 'S', 'MAJOR', 'PORT', '1-5']);

/** Input properties for some of a flow's flags: camelCase names, typed from the flag's value name. */
function flagProperties(specs: OptionSpecs, names: readonly string[]): Record<string, object> {
  const out: Record<string, object> = {};
  for (const name of names) {
    const spec = specs[name];
    if (spec === undefined) throw new Error(`no flag --${name}`);
    const type = spec.type === 'boolean' ? { type: 'boolean' } : spec.multiple === true ? { type: 'array', items: { type: 'string' } } : NUMERIC.has(spec.valueName ?? '') ? { type: 'number' } : { type: 'string' };
    out[camelCase(name)] = { ...type, description: spec.description };
  }
  return out;
}

function objectSchema(properties: Record<string, object>, required: readonly string[] = []): JsonSchemaObject {
  return { type: 'object', properties, ...(required.length === 0 ? {} : { required: [...required] }), additionalProperties: false };
}

const text = (description: string): object => ({ type: 'string', minLength: 1, description });
const texts = (description: string): object => ({ type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, description });

/** Runs a flow as the CLI would with these flags, on the shared read-only pool unless `ownConnection`. */
async function runFlow(flow: Flow, ctx: McpToolContext, call: ToolCall, options: Record<string, unknown>, extra: { stdin?: NodeJS.ReadableStream; ownConnection?: boolean } = {}): Promise<Report> {
  const config = Object.fromEntries(Object.entries({ ...options, db: ctx.url }).filter(([, v]) => v !== undefined));
  validateConfig(flow, config, 'arguments');
  const input: FlowInput = {
    values: {},
    positionals: [],
    config,
    env: ctx.env,
    logger: {
      info: (m) => {
        call.progress(m);
        ctx.logger.debug(m);
      },
      debug: (m) => ctx.logger.debug(m),
      warn: (m) => call.warn(m),
    },
    ...(extra.stdin === undefined ? {} : { stdin: extra.stdin }),
    ...(extra.ownConnection === true ? {} : { database: ctx.db.borrowed() }),
  };
  return flow.run(input);
}

const PROFILE_FLAGS = ['depth', 'workload', 'interval', 'min-calls', 'min-time'];
const INDEX_FLAGS = ['calls', 'workload', 'interval', 'min-calls', 'min-time', 'budget-mb', 'max-indexes', 'min-gain', 'time-limit', 'writes'];
const INDEX_SPECS = { ...ANALYSIS_OPTIONS, ...indexesFlow.options };
const READ_ONLY = 'Read-only: runs in a read-only session and changes nothing.';

async function indexesArgs(args: Readonly<Record<string, unknown>>, ctx: McpToolContext): Promise<Record<string, unknown>> {
  const { statements, ...rest } = args as { statements?: string[] };
  for (const [i, s] of (statements ?? []).entries()) await assertModelStatement(ctx.db, s, `statements[${i}]`);
  return { ...rest, ...(statements === undefined ? {} : { statement: statements }) };
}

/** The read-only tools: every command that reads, with the model's statements checked first. */
function readTools(ctx: McpToolContext): McpTool[] {
  return [
    {
      name: 'profile',
      title: 'Profile the database',
      description: `PROFILE phase (seed --profile): top statements from pg_stat_statements, cache and index hit ratios, table and index health, baseline metrics. Start here. ${READ_ONLY}`,
      inputSchema: objectSchema(flagProperties(ANALYSIS_OPTIONS, PROFILE_FLAGS)),
      writes: false,
      run: (args, call) => runFlow(profileFlow, ctx, call, { ...args }),
    },
    {
      name: 'full',
      title: 'Full optimization report',
      description: `Every analyzer, phase by phase (PROFILE, DIAGNOSE, OPTIMIZE, IMPLEMENT; seed --full): findings ranked by estimated gain, each with evidence and a fix checked against the database where possible. Slower than profile. ${READ_ONLY}`,
      inputSchema: objectSchema(flagProperties(ANALYSIS_OPTIONS, PROFILE_FLAGS)),
      writes: false,
      run: (args, call) => runFlow(fullFlow, ctx, call, { ...args }),
    },
    {
      name: 'explain',
      title: 'Analyze an EXPLAIN plan',
      description: `Analyze a plan you already have (EXPLAIN [ANALYZE] output as JSON, text or psql paste): exclusive time per node, misestimates, and ranked tips; with sql (one SELECT) the proposed indexes are verified with HypoPG. Nothing is executed. ${READ_ONLY}`,
      inputSchema: objectSchema({ plan: text('the EXPLAIN output (JSON or text)'), sql: text('the SELECT the plan belongs to (sharpens tips, verifies indexes)') }, ['plan']),
      writes: false,
      run: async (args, call) => {
        const { plan, sql } = args as { plan: string; sql?: string };
        if (sql !== undefined) await assertModelStatement(ctx.db, sql, 'sql');
        return runFlow(explainFlow, ctx, call, { plans: ['-'], sql }, { stdin: Readable.from([plan]) });
      },
    },
    {
      name: 'query',
      title: 'Diagnose one query on the live database',
      description: `EXPLAIN (ANALYZE, BUFFERS) of one SELECT in a read-only transaction that is rolled back, then why it is slow and fixes (indexes verified with HypoPG, rewrites). Only a single read-only SELECT is accepted: several statements, writes, writing CTEs and functions that write or signal are refused before anything runs. ${READ_ONLY}`,
      inputSchema: objectSchema(
        {
          sql: text('one SELECT statement ($1, $2 … for parameters)'),
          params: { type: 'array', items: { type: 'string' }, description: 'values for $1, $2, … in order (as text; PostgreSQL casts them)' },
          rewrite: text('a rewritten SELECT to measure against the original (time, plan, same rows)'),
        },
        ['sql'],
      ),
      writes: false,
      run: async (args, call) => {
        const { sql, params, rewrite } = args as { sql: string; params?: string[]; rewrite?: string };
        await assertModelStatement(ctx.db, sql, 'sql');
        if (rewrite !== undefined) await assertModelStatement(ctx.db, rewrite, 'rewrite');
        return runFlow(queryFlow, ctx, call, { statement: sql, param: params, rewrite });
      },
    },
    {
      name: 'indexes',
      title: 'Index advisor',
      description: `Index recommendations for the workload (pg_stat_statements, a workload file) or for the given SELECT statements: what-if costs with HypoPG, a selection under the budget, unused and duplicate indexes to drop, the migration. Never creates an index. ${READ_ONLY}`,
      inputSchema: objectSchema({ statements: texts('SELECT statements to advise on instead of the workload'), ...flagProperties(INDEX_SPECS, INDEX_FLAGS) }),
      writes: false,
      // no sandbox builds: even a rolled-back CREATE INDEX is a write
      run: async (args, call) => runFlow(indexesFlow, ctx, call, { ...(await indexesArgs(args, ctx)), noSandbox: true }),
    },
    {
      name: 'rewrite',
      title: 'Rewrite a query',
      description: `Rewrites of one SELECT (correlated subqueries, OR to UNION, IN lists, OFFSET pagination …), each proved on the database: same rows on the data, cheaper plan; otherwise marked unverified. ${READ_ONLY}`,
      inputSchema: objectSchema({ sql: text('one SELECT statement'), ...flagProperties(rewriteFlow.options, ['analyze', 'uses', 'verify-sample', 'verify-budget', 'row-cap', 'in-list-threshold']) }, ['sql']),
      writes: false,
      run: async (args, call) => {
        const { sql, ...rest } = args as { sql: string };
        await assertModelStatement(ctx.db, sql, 'sql');
        return runFlow(rewriteFlow, ctx, call, { ...rest, statement: sql });
      },
    },
    {
      name: 'n1',
      title: 'Find N+1 query patterns',
      description: `N+1 patterns (seed --fix-n1) in a PostgreSQL log file, capture files or OTLP traces on this machine, with the ORM code fix (eager loading, batching) and the round trips saved. Reads the files; ${READ_ONLY}`,
      inputSchema: objectSchema({
        log: text('path of a PostgreSQL log file (log_min_duration_statement = 0 or log_statement = all)'),
        ...flagProperties(n1Flow.options, ['log-format', 'log-line-prefix', 'capture', 'otlp', 'orm', 'min-repeats', 'min-time', 'round-trip', 'gap']),
      }),
      writes: false,
      run: (args, call) => {
        const { log, ...rest } = args as { log?: string };
        return runFlow(n1Flow, ctx, call, { ...rest, ...(log === undefined ? {} : { log: [log] }) });
      },
    },
    {
      name: 'schema',
      title: 'Review the schema',
      description: `Schema review of the live database (or DDL files): types, keys, foreign keys without indexes, partitioning candidates, each with the migration. ${READ_ONLY}`,
      inputSchema: objectSchema(flagProperties(schemaFlow.options, ['ddl', 'workload', 'sample-rows'])),
      writes: false,
      run: (args, call) => runFlow(schemaFlow, ctx, call, { ...args }),
    },
    {
      name: 'migrate_lint',
      title: 'Lint a migration',
      description: `Lint migration SQL for locks and downtime (squawk-compatible rules) against this server's PostgreSQL version and table sizes. The SQL is parsed and linted, never executed. ${READ_ONLY}`,
      inputSchema: objectSchema({ sql: text('the migration SQL (DDL, several statements allowed: it is not run)'), ...flagProperties(migrateLintFlow.options, ['assume-in-transaction', 'exclude']) }, ['sql']),
      writes: false,
      run: async (args, call) => {
        const { sql, ...rest } = args as { sql: string };
        const dir = await mkdtemp(join(tmpdir(), 'db-optimize-mcp-'));
        try {
          const file = join(dir, 'migration.sql');
          await writeFile(file, sql);
          return await runFlow(migrateLintFlow, ctx, call, { ...rest, files: [file] });
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    },
    {
      name: 'migrate_plan',
      title: 'Plan a zero-downtime migration',
      description: `A zero-downtime plan for one schema change (add a column, index or foreign key, change a type, set NOT NULL, rename), sized from the live tables, with migration files. Plans only. ${READ_ONLY}`,
      inputSchema: objectSchema({
        ...flagProperties(migratePlanFlow.options, ['add-column', 'add-index', 'add-fk', 'change-type', 'set-not-null', 'rename', 'migration-format', 'key', 'batch-size', 'sleep-ms', 'retries']),
        definition: text('the column definition or new type/name, e.g. "text NOT NULL DEFAULT \'new\'"'),
      }),
      writes: false,
      run: (args, call) => runFlow(migratePlanFlow, ctx, call, { ...args }),
    },
    {
      name: 'config',
      title: 'Tune postgresql.conf',
      description: `Configuration recommendations for this server from its hardware and observed workload (memory, WAL, checkpoints, autovacuum, parallelism), audited against the current settings, as ALTER SYSTEM statements. Prints, never applies. ${READ_ONLY}`,
      inputSchema: objectSchema(flagProperties(configFlow.options, ['ram', 'cpus', 'storage', 'workload', 'max-connections', 'large-table-rows'])),
      writes: false,
      run: (args, call) => runFlow(configFlow, ctx, call, { ...args }),
    },
    {
      name: 'pool',
      title: 'Connections and pool sizing',
      description: `Connection analysis (pg_stat_activity: states, idle in transaction, per-request connections) and pool sizing for an application fleet. ${READ_ONLY}`,
      inputSchema: objectSchema(
        flagProperties(poolFlow.options, ['app-instances', 'max-instances', 'surge-percent', 'pool-size', 'max-overflow', 'cpus', 'ram', 'storage', 'spindles', 'avg-query-ms', 'peak-qps', 'watch', 'short-lived-seconds']),
      ),
      writes: false,
      run: (args, call) => runFlow(poolFlow, ctx, call, { ...args }),
    },
    {
      name: 'pgbouncer',
      title: 'PgBouncer configuration',
      description: `A pgbouncer.ini for this server (pool mode, pool sizes, limits) and the statements in the workload that break transaction pooling. Writes no file. ${READ_ONLY}`,
      inputSchema: objectSchema(
        flagProperties(pgbouncerFlow.options, ['clients', 'serverless', 'read-mostly', 'avg-query-ms', 'other-connections', 'cpus', 'pool-mode', 'pgbouncer-version', 'prepared-statements', 'workload', 'log', 'database-alias', 'listen-port', 'auth-type', 'auth-query']),
      ),
      writes: false,
      run: (args, call) => runFlow(pgbouncerFlow, ctx, call, { ...args }),
    },
  ];
}

const WRITES = 'WRITES TO THE DATABASE (this server was started with --allow-writes): ask the user before calling it.';

/** Tools that change the database: only with --allow-writes, each on its own read-write session. */
function writeTools(ctx: McpToolContext): McpTool[] {
  return [
    {
      name: 'indexes_create',
      title: 'Create the recommended indexes',
      description: `${WRITES} Runs the index advisor like the indexes tool, then creates the recommended indexes with CREATE INDEX CONCURRENTLY (an index that fails is dropped).`,
      inputSchema: objectSchema({ statements: texts('SELECT statements to advise on instead of the workload'), ...flagProperties(INDEX_SPECS, INDEX_FLAGS) }),
      writes: true,
      run: async (args, call) => runFlow(indexesFlow, ctx, call, { ...(await indexesArgs(args, ctx)), noSandbox: true, create: true, yes: true }, { ownConnection: true }),
    },
    {
      name: 'config_apply',
      title: 'Apply the configuration',
      description: `${WRITES} Runs the config tool's ALTER SYSTEM statements on the server and reloads it (never restarts; settings that need a restart are reported).`,
      inputSchema: objectSchema(flagProperties(configFlow.options, ['ram', 'cpus', 'storage', 'workload', 'max-connections', 'large-table-rows'])),
      writes: true,
      run: (args, call) => runFlow(configFlow, ctx, call, { ...args, apply: true }, { ownConnection: true }),
    },
    {
      name: 'migrate_apply',
      title: 'Run a zero-downtime migration plan',
      description: `${WRITES} Runs the migrate_plan plan step by step (DDL with short lock timeouts and retries, batched backfills); stops before a step that needs a code deploy (continue with fromStep).`,
      inputSchema: objectSchema({
        ...flagProperties(migratePlanFlow.options, ['add-column', 'add-index', 'add-fk', 'change-type', 'set-not-null', 'rename', 'key', 'batch-size', 'sleep-ms', 'retries', 'from-step']),
        definition: text('the column definition or new type/name'),
      }),
      writes: true,
      run: (args, call) => runFlow(migratePlanFlow, ctx, call, { ...args, apply: true }, { ownConnection: true }),
    },
  ];
}

/** The MCP tools over the commands: read-only ones always, write ones only when allowed. */
export function mcpTools(ctx: McpToolContext, options: { allowWrites: boolean }): McpTool[] {
  return [...readTools(ctx), ...(options.allowWrites ? writeTools(ctx) : [])];
}
