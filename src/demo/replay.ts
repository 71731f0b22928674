import pg from 'pg';

/** One statement of the replayed workload, with how many times it runs and its parameters. */
export interface ReplayStatement {
  readonly label: string;
  readonly sql: string;
  readonly calls: number;
  readonly params?: (i: number) => unknown[];
}

/**
 * The seed's statements with their relative call rates, scaled to run in well under a minute:
 * hot point lookups run thousands of times, reports a few times, exactly as a day's shape.
 */
export function replayStatements(scale: number): ReplayStatement[] {
  const users = Math.max(100, Math.round(100_000 * scale));
  const products = Math.max(100, Math.round(10_000 * scale));
  const posts = Math.max(100, Math.round(200_000 * scale));
  const orders = Math.max(100, Math.round(1_000_000 * scale));
  const day = (i: number): string => new Date(Date.UTC(2023, 0, 1) + (i % 700) * 86_400_000).toISOString();
  return [
    { label: 'users by id', sql: 'SELECT * FROM users WHERE id = $1', calls: 2000, params: (i) => [1 + ((i * 7919) % users)] },
    { label: 'products by category', sql: 'SELECT * FROM products WHERE category_id = $1', calls: 600, params: (i) => [21 + ((i * 31) % 480)] },
    {
      label: 'events insert',
      sql: 'INSERT INTO events (user_id, event_type, data, created_at) VALUES ($1, $2, $3, now())',
      calls: 500,
      params: (i) => [1 + (i % users), i % 3 === 0 ? 'click' : 'page_view', JSON.stringify({ page: `/p/${i % 100}` })],
    },
    {
      label: 'sessions update',
      sql: 'UPDATE sessions SET data = $2, updated_at = now() WHERE id = md5($1::text)::uuid',
      calls: 800,
      params: (i) => [1 + ((i * 13) % 1000), JSON.stringify({ cart: i % 9 })],
    },
    { label: 'orders of a user', sql: 'SELECT * FROM orders WHERE user_id = $1 ORDER BY created_at DESC', calls: 1000, params: (i) => [1 + ((i * 104729) % users)] },
    { label: 'pending orders', sql: "SELECT * FROM orders WHERE status = 'pending' AND created_at < $1", calls: 10, params: (i) => [day(600 + i)] },
    { label: 'orders in a date range', sql: 'SELECT * FROM orders WHERE created_at BETWEEN $1 AND $2', calls: 2, params: (i) => [day(100 + i), day(101 + i)] },
    {
      label: 'shipping address search',
      sql: "SELECT id, shipping_address FROM orders WHERE to_tsvector('english', shipping_address) @@ plainto_tsquery('english', $1) LIMIT 50",
      calls: 1,
      params: () => ['Maple Springfield'],
    },
    {
      label: 'the 4.2 s users/orders report',
      sql: `SELECT u.*, COUNT(o.id) as order_count, SUM(o.total) as total_spent
FROM users u
LEFT JOIN orders o ON u.id = o.user_id
WHERE u.created_at > '2024-01-01'
GROUP BY u.id
ORDER BY total_spent DESC
LIMIT 100`,
      calls: 2,
    },
    {
      label: 'correlated subquery on products',
      sql: `SELECT *
FROM products p
WHERE p.category_id IN (
SELECT c.id FROM categories c WHERE c.parent_id = 5
)
AND p.price < (
SELECT AVG(price) FROM products WHERE category_id = p.category_id
)
ORDER BY p.created_at DESC`,
      calls: 1,
    },
    {
      label: 'post feed with counts',
      sql: `SELECT p.id, p.title, u.name AS author,
  (SELECT count(*) FROM comments c WHERE c.post_id = p.id) AS comment_count,
  (SELECT count(*) FROM likes l WHERE l.post_id = p.id) AS like_count
FROM posts p JOIN users u ON u.id = p.user_id
ORDER BY p.created_at DESC LIMIT 20`,
      calls: 50,
    },
    { label: 'items of an order (N+1 loop)', sql: 'SELECT * FROM order_items WHERE order_id = $1', calls: 15, params: (i) => [1 + ((i * 7) % orders)] },
    { label: 'user by email', sql: 'SELECT id, name FROM users WHERE email = $1', calls: 300, params: (i) => [`user${1 + ((i * 37) % users)}@example.com`] },
    { label: 'product detail', sql: 'SELECT * FROM products WHERE id = $1', calls: 800, params: (i) => [1 + ((i * 17) % products)] },
    { label: 'post detail comments', sql: 'SELECT * FROM comments WHERE post_id = $1 ORDER BY created_at', calls: 200, params: (i) => [1 + ((i * 11) % posts)] },
  ];
}

/**
 * Replays the statements over `concurrency` connections, interleaved so that every statement
 * sees the same cache state it would in a real day.
 */
export async function replayWorkload(
  url: string,
  statements: readonly ReplayStatement[],
  options: { concurrency?: number; statementTimeoutMs?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ calls: number; ms: number; timedOut: number }> {
  const jobs: { sql: string; params: unknown[] }[] = [];
  const maxCalls = Math.max(...statements.map((s) => s.calls));
  for (let i = 0; i < maxCalls; i++) {
    for (const s of statements) {
      // spread each statement's calls evenly over the run
      if (Math.floor(((i + 1) * s.calls) / maxCalls) > Math.floor((i * s.calls) / maxCalls)) {
        jobs.push({ sql: s.sql, params: s.params?.(i) ?? [] });
      }
    }
  }
  const started = performance.now();
  const concurrency = options.concurrency ?? 2;
  let next = 0;
  let done = 0;
  let timedOut = 0;
  const workers = Array.from({ length: concurrency }, async () => {
    const client = new pg.Client({ connectionString: url, application_name: 'db-optimize-demo-app' });
    await client.connect();
    // bounds the demo's run time on slow machines; a cancelled statement is counted, not fatal
    await client.query(`SET statement_timeout = ${Math.trunc(options.statementTimeoutMs ?? 60_000)}`);
    try {
      while (next < jobs.length) {
        const job = jobs[next++];
        if (job === undefined) break;
        try {
          await client.query(job.sql, job.params);
        } catch (error) {
          if ((error as { code?: string }).code !== '57014') throw error;
          timedOut++;
        }
        done++;
        if (done % 500 === 0) options.onProgress?.(done, jobs.length);
      }
    } finally {
      await client.end();
    }
  });
  await Promise.all(workers);
  return { calls: jobs.length, ms: performance.now() - started, timedOut };
}
