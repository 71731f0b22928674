/**
 * Statements where a careless rewrite returns different rows, on the fixture of fixture.ts. Each
 * naive rewrite must end unverified — on the full data and on subsets of the outer table alike —
 * and no rule may turn the statement into a verified rewrite that returns different rows.
 */
export interface Trap {
  readonly id: string;
  /** what makes it a trap */
  readonly why: string;
  readonly sql: string;
  readonly naive: readonly string[];
}

export const TRAPS: readonly Trap[] = [
  {
    id: 'not-in-nullable',
    why: 'NOT IN over a column holding a NULL is never true, NOT EXISTS ignores the NULL',
    sql: 'SELECT u.id FROM users u WHERE u.country NOT IN (SELECT b.country FROM banned_countries b)',
    naive: ['SELECT u.id FROM users u WHERE NOT EXISTS (SELECT 1 FROM banned_countries b WHERE b.country = u.country)'],
  },
  {
    id: 'limit-without-unique-order',
    why: 'LIMIT after an ORDER BY with ties keeps any of the tied rows',
    sql: 'SELECT o.id, o.status FROM orders o ORDER BY o.status LIMIT 10',
    naive: ['SELECT o.id, o.status FROM orders o ORDER BY o.status, o.id DESC LIMIT 10', 'SELECT o.id, o.status FROM orders o ORDER BY o.status, o.id LIMIT 10'],
  },
  {
    id: 'distinct-vs-exists-duplicates',
    why: 'DISTINCT removes duplicates of the selected columns, EXISTS keeps one row per outer row',
    sql: 'SELECT DISTINCT u.country FROM users u JOIN orders o ON o.user_id = u.id',
    naive: ['SELECT u.country FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id)'],
  },
  {
    id: 'outer-join-turned-inner',
    why: 'a LEFT JOIN keeps outer rows without a match, an inner join drops them',
    sql: "SELECT u.id, o.id AS order_id FROM users u LEFT JOIN orders o ON o.user_id = u.id AND o.status = 'pending'",
    naive: ["SELECT u.id, o.id AS order_id FROM users u JOIN orders o ON o.user_id = u.id AND o.status = 'pending'", "SELECT u.id, o.id AS order_id FROM users u LEFT JOIN orders o ON o.user_id = u.id WHERE o.status = 'pending'"],
  },
  {
    id: 'count-over-empty-group',
    why: 'count(*) of an empty group is 0, a grouped join has no row for it',
    sql: 'SELECT u.id FROM users u WHERE 0 = (SELECT count(*) FROM orders o WHERE o.user_id = u.id)',
    naive: ['SELECT u.id FROM users u JOIN (SELECT user_id, count(*) AS n FROM orders GROUP BY user_id) c ON c.user_id = u.id WHERE c.n = 0'],
  },
  {
    id: 'sum-over-empty-group',
    why: 'sum() of an empty group is NULL, COALESCE(…, 0) after a LEFT JOIN is 0',
    sql: 'SELECT u.id, (SELECT sum(o.total) FROM orders o WHERE o.user_id = u.id) AS spent FROM users u WHERE u.id > 480',
    naive: ['SELECT u.id, coalesce(s.spent, 0) AS spent FROM users u LEFT JOIN (SELECT user_id, sum(total) AS spent FROM orders GROUP BY user_id) s ON s.user_id = u.id WHERE u.id > 480'],
  },
  {
    id: 'volatile-function',
    why: 'random() is evaluated per call: two runs never return the same rows',
    sql: 'SELECT o.id FROM orders o WHERE random() < 0.5',
    naive: ['SELECT o.id FROM orders o WHERE o.id IN (SELECT id FROM orders WHERE random() < 0.5)'],
  },
  {
    id: 'correlated-two-outer-tables',
    why: 'the subquery depends on two outer tables: grouping by one of them loses the other',
    sql: "SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE o.total > (SELECT avg(o2.total) FROM orders o2 WHERE o2.user_id = o.user_id AND o2.created_at < u.created_at + interval '250 days')",
    naive: ['SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id JOIN (SELECT user_id, avg(total) AS a FROM orders GROUP BY user_id) x ON x.user_id = o.user_id WHERE o.total > x.a'],
  },
  {
    id: 'set-returning-function-in-select-list',
    why: 'a set-returning function in the select list multiplies (or removes) rows: dropping the column changes the count',
    sql: 'SELECT count(*) FROM (SELECT u.id, generate_series(1, (u.id % 4)::int) AS n FROM users u) s',
    naive: ['SELECT count(*) FROM (SELECT u.id FROM users u) s', 'SELECT count(*) FROM users u'],
  },
];
