/**
 * Statement pairs for the rewriter: every rule has positive cases (the rule fires and the rows
 * are identical on the fixture), negative cases (it must not fire: the semantics would change
 * or there is nothing to gain) and traps — statements where a naive rewrite returns different
 * rows. A trap must never end "verified"; where a naive rewrite is given, the verifier must
 * report the rows it gets wrong.
 */
export type CorpusKind = 'positive' | 'negative' | 'trap' | 'semantics-change' | 'proposal';

export interface CorpusEntry {
  readonly id: string;
  readonly rule: string;
  readonly kind: CorpusKind;
  readonly sql: string;
  /** --uses for the SELECT * rule */
  readonly uses?: readonly string[];
  /** the rewrite a careless tool would make; the verifier must find differing rows */
  readonly naive?: string;
  /** the case's outcome depends on catalog facts: without a snapshot a negative fires (unverified) and a positive may be classed conservatively */
  readonly needsFacts?: boolean;
  /** positive case that must end "verified" (same rows, cheaper) on the fixture */
  readonly expectVerified?: boolean;
}

const ids = (n: number, from = 1): string => Array.from({ length: n }, (_, i) => String(from + i)).join(', ');
const emails = (n: number): string => Array.from({ length: n }, (_, i) => `'user${i + 1}@example.com'`).join(', ');

export const SEED_SQL =
  'SELECT * FROM products p WHERE p.category_id IN (SELECT c.id FROM categories c WHERE c.parent_id = 5) AND p.price < (SELECT AVG(price) FROM products WHERE category_id = p.category_id) ORDER BY p.created_at DESC';

export const CORPUS: readonly CorpusEntry[] = [
  // correlated-subquery-aggregate
  { id: 'csa-seed', rule: 'correlated-subquery-aggregate', kind: 'positive', sql: SEED_SQL, expectVerified: true },
  { id: 'csa-orders-avg', rule: 'correlated-subquery-aggregate', kind: 'positive', sql: 'SELECT o.id, o.total FROM orders o WHERE o.total > (SELECT avg(total) FROM orders o2 WHERE o2.user_id = o.user_id)' },
  { id: 'csa-max', rule: 'correlated-subquery-aggregate', kind: 'positive', sql: 'SELECT p.id FROM products p WHERE p.price >= (SELECT max(p2.price) FROM products p2 WHERE p2.category_id = p.category_id)' },
  { id: 'csa-extra-filter', rule: 'correlated-subquery-aggregate', kind: 'positive', sql: "SELECT u.id FROM users u WHERE 100 < (SELECT sum(o.total) FROM orders o WHERE o.user_id = u.id AND o.status = 'delivered')" },
  {
    id: 'csa-count-trap',
    rule: 'correlated-subquery-aggregate',
    kind: 'trap',
    sql: 'SELECT u.id FROM users u WHERE 0 = (SELECT count(*) FROM orders o WHERE o.user_id = u.id)',
    naive: 'SELECT u.id FROM users u JOIN (SELECT user_id, count(*) AS n FROM orders GROUP BY user_id) c ON c.user_id = u.id WHERE c.n = 0',
  },
  {
    id: 'csa-unqualified-outer',
    rule: 'correlated-subquery-aggregate',
    kind: 'positive',
    sql: 'SELECT id, price FROM products p WHERE category_id IN (SELECT c.id FROM categories c WHERE c.parent_id = 3) AND price > (SELECT avg(p2.price) FROM products p2 WHERE p2.category_id = p.category_id)',
  },
  {
    id: 'csa-select-list',
    rule: 'correlated-subquery-aggregate',
    kind: 'positive',
    sql: "SELECT u.id, u.name, (SELECT count(*) FROM orders o WHERE o.user_id = u.id) AS order_count, (SELECT max(o.total) FROM orders o WHERE o.user_id = u.id AND o.status = 'delivered') FROM users u WHERE u.id < 40",
  },
  {
    id: 'csa-select-list-count-zero-trap',
    rule: 'correlated-subquery-aggregate',
    kind: 'trap',
    sql: 'SELECT u.id, (SELECT count(*) FROM orders o WHERE o.user_id = u.id) AS n FROM users u WHERE u.id > 490',
    naive: 'SELECT u.id, c.n FROM users u LEFT JOIN (SELECT user_id, count(*) AS n FROM orders GROUP BY user_id) c ON c.user_id = u.id WHERE u.id > 490',
  },
  { id: 'csa-uncorrelated', rule: 'correlated-subquery-aggregate', kind: 'negative', sql: 'SELECT id FROM products WHERE price > (SELECT avg(price) FROM products)' },

  // in-subquery-to-exists
  { id: 'in-unique-join', rule: 'in-subquery-to-exists', kind: 'positive', sql: 'SELECT p.id, p.name FROM products p WHERE p.category_id IN (SELECT c.id FROM categories c WHERE c.parent_id = 5)' },
  { id: 'in-unqualified-outer', rule: 'in-subquery-to-exists', kind: 'positive', sql: 'SELECT id, name FROM products p WHERE category_id IN (SELECT c.id FROM categories c WHERE c.parent_id = 5)' },
  {
    id: 'in-duplicates-trap',
    rule: 'in-subquery-to-exists',
    kind: 'trap',
    sql: "SELECT u.id, u.email FROM users u WHERE u.id IN (SELECT o.user_id FROM orders o WHERE o.status = 'shipped')",
    naive: "SELECT u.id, u.email FROM users u JOIN orders o ON o.user_id = u.id WHERE o.status = 'shipped'",
  },
  { id: 'exists-unique-join', rule: 'in-subquery-to-exists', kind: 'positive', sql: 'SELECT p.id, p.price FROM products p WHERE EXISTS (SELECT 1 FROM categories c WHERE c.id = p.category_id AND c.parent_id = 5)' },
  {
    id: 'exists-duplicates-trap',
    rule: 'in-subquery-to-exists',
    kind: 'trap',
    sql: "SELECT u.id FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id AND o.total > 900)",
    naive: 'SELECT u.id FROM users u JOIN orders o ON o.user_id = u.id AND o.total > 900',
  },
  { id: 'in-literal-list', rule: 'in-subquery-to-exists', kind: 'negative', sql: 'SELECT id FROM users WHERE id IN (1, 2, 3)' },
  { id: 'in-not-in-is-other-rule', rule: 'in-subquery-to-exists', kind: 'negative', sql: 'SELECT u.id FROM users u WHERE u.id NOT IN (SELECT b.user_id FROM blocked_users b)' },

  // not-in-to-not-exists
  {
    id: 'not-in-null-trap',
    rule: 'not-in-to-not-exists',
    kind: 'semantics-change',
    sql: 'SELECT u.id FROM users u WHERE u.country NOT IN (SELECT b.country FROM banned_countries b)',
    naive: 'SELECT u.id FROM users u WHERE NOT EXISTS (SELECT 1 FROM banned_countries b WHERE b.country = u.country)',
  },
  {
    id: 'not-in-nullable-outer-trap',
    rule: 'not-in-to-not-exists',
    kind: 'semantics-change',
    sql: 'SELECT e.id FROM events e WHERE e.user_id NOT IN (SELECT b.user_id FROM blocked_users b)',
    naive: 'SELECT e.id FROM events e WHERE NOT EXISTS (SELECT 1 FROM blocked_users b WHERE b.user_id = e.user_id)',
  },
  { id: 'not-in-not-null', rule: 'not-in-to-not-exists', kind: 'positive', sql: 'SELECT u.id FROM users u WHERE u.id NOT IN (SELECT b.user_id FROM blocked_users b)', needsFacts: true },
  { id: 'not-in-list', rule: 'not-in-to-not-exists', kind: 'negative', sql: 'SELECT id FROM users WHERE id NOT IN (1, 2)' },

  // offset-to-keyset
  { id: 'keyset-pk', rule: 'offset-to-keyset', kind: 'positive', sql: 'SELECT id, email FROM users ORDER BY id LIMIT 20 OFFSET 100' },
  { id: 'keyset-two-columns', rule: 'offset-to-keyset', kind: 'positive', sql: 'SELECT id, created_at FROM orders ORDER BY created_at, id LIMIT 10 OFFSET 50' },
  { id: 'keyset-desc', rule: 'offset-to-keyset', kind: 'positive', sql: "SELECT id FROM orders WHERE status = 'delivered' ORDER BY id DESC LIMIT 5 OFFSET 10" },
  {
    id: 'keyset-ties-trap',
    rule: 'offset-to-keyset',
    kind: 'trap',
    sql: 'SELECT id, status FROM orders ORDER BY status LIMIT 10 OFFSET 30',
    naive: "SELECT id, status FROM orders WHERE status > 'cancelled' ORDER BY status LIMIT 10",
  },
  { id: 'keyset-no-offset', rule: 'offset-to-keyset', kind: 'negative', sql: 'SELECT id FROM users ORDER BY id LIMIT 20' },

  // or-to-union-all
  { id: 'or-two-indexes', rule: 'or-to-union-all', kind: 'positive', sql: "SELECT id, email FROM users WHERE email = 'user7@example.com' OR id = 7" },
  { id: 'or-two-indexes-disjoint', rule: 'or-to-union-all', kind: 'positive', sql: "SELECT id, status FROM orders WHERE user_id = 42 OR created_at = '2024-01-02 00:14:00+00'" },
  {
    id: 'or-duplicates-trap',
    rule: 'or-to-union-all',
    kind: 'trap',
    sql: "SELECT country FROM users WHERE email = 'user7@example.com' OR id = 7",
    naive: "SELECT country FROM users WHERE email = 'user7@example.com' UNION ALL SELECT country FROM users WHERE id = 7",
  },
  { id: 'or-same-column', rule: 'or-to-union-all', kind: 'negative', sql: 'SELECT id FROM users WHERE id = 1 OR id = 2' },
  { id: 'or-unindexed', rule: 'or-to-union-all', kind: 'negative', sql: "SELECT id FROM users WHERE email = 'user1@example.com' OR name = 'User 2'" , needsFacts: true },

  // select-star-columns
  { id: 'star-uses', rule: 'select-star-columns', kind: 'positive', sql: 'SELECT * FROM users WHERE id < 50', uses: ['id', 'email'] },
  { id: 'star-unknown-use', rule: 'select-star-columns', kind: 'negative', sql: 'SELECT * FROM users WHERE id < 50' },
  { id: 'star-missing-column', rule: 'select-star-columns', kind: 'negative', sql: 'SELECT * FROM users WHERE id < 50', uses: ['id', 'no_such_column'] , needsFacts: true },

  // count-to-exists
  { id: 'count-gt-zero', rule: 'count-to-exists', kind: 'positive', sql: 'SELECT u.id FROM users u WHERE (SELECT count(*) FROM orders o WHERE o.user_id = u.id) > 0', expectVerified: true },
  { id: 'count-eq-zero', rule: 'count-to-exists', kind: 'positive', sql: 'SELECT u.id FROM users u WHERE (SELECT count(*) FROM orders o WHERE o.user_id = u.id) = 0' },
  { id: 'count-ge-one', rule: 'count-to-exists', kind: 'positive', sql: 'SELECT c.id FROM categories c WHERE (SELECT count(*) FROM products p WHERE p.category_id = c.id) >= 1' },
  {
    id: 'count-gt-one-trap',
    rule: 'count-to-exists',
    kind: 'trap',
    sql: "SELECT u.id FROM users u WHERE (SELECT count(*) FROM orders o WHERE o.user_id = u.id AND o.total > 800) > 1",
    naive: "SELECT u.id FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id AND o.total > 800)",
  },
  { id: 'count-column', rule: 'count-to-exists', kind: 'negative', sql: 'SELECT u.id FROM users u WHERE (SELECT count(o.shipping_address_id) FROM orders o WHERE o.user_id = u.id) > 0' },

  // distinct-join-to-exists
  { id: 'distinct-key', rule: 'distinct-join-to-exists', kind: 'positive', sql: "SELECT DISTINCT u.id, u.email FROM users u JOIN orders o ON o.user_id = u.id WHERE o.status = 'shipped'" },
  { id: 'distinct-star', rule: 'distinct-join-to-exists', kind: 'positive', sql: 'SELECT DISTINCT c.* FROM categories c JOIN products p ON p.category_id = c.id WHERE p.price > 100' },
  {
    id: 'distinct-non-unique-trap',
    rule: 'distinct-join-to-exists',
    kind: 'trap',
    sql: 'SELECT DISTINCT u.country FROM users u JOIN orders o ON o.user_id = u.id',
    naive: 'SELECT u.country FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id)',
  },
  { id: 'distinct-both-tables', rule: 'distinct-join-to-exists', kind: 'negative', sql: 'SELECT DISTINCT u.id, o.status FROM users u JOIN orders o ON o.user_id = u.id' },

  // sargable-predicate
  { id: 'sarg-date-trunc', rule: 'sargable-predicate', kind: 'positive', sql: "SELECT id FROM orders WHERE date_trunc('day', created_at) = '2024-01-05'", expectVerified: true },
  { id: 'sarg-date-cast', rule: 'sargable-predicate', kind: 'positive', sql: "SELECT id FROM orders WHERE created_at::date = '2024-01-03'" },
  { id: 'sarg-misaligned', rule: 'sargable-predicate', kind: 'positive', sql: "SELECT id FROM orders WHERE date_trunc('day', created_at) = '2024-01-05 13:00:00+00'" },
  { id: 'sarg-numeric-literal-eq', rule: 'sargable-predicate', kind: 'positive', sql: 'SELECT id, total FROM orders WHERE id = 42.0' },
  { id: 'sarg-numeric-literal-gt', rule: 'sargable-predicate', kind: 'positive', sql: 'SELECT id FROM orders WHERE user_id > 41.5 AND user_id < 44.5' },
  {
    id: 'sarg-numeric-rounding-trap',
    rule: 'sargable-predicate',
    kind: 'trap',
    sql: 'SELECT id FROM orders WHERE user_id >= 41.5 AND user_id <= 43.0',
    naive: 'SELECT id FROM orders WHERE user_id >= 41 AND user_id <= 43',
  },
  { id: 'sarg-numeric-never-equal', rule: 'sargable-predicate', kind: 'negative', sql: 'SELECT id FROM orders WHERE id = 42.5' },
  { id: 'sarg-lower', rule: 'sargable-predicate', kind: 'proposal', sql: "SELECT id FROM users WHERE lower(email) = 'user5@example.com'" },
  { id: 'sarg-text-cast', rule: 'sargable-predicate', kind: 'proposal', sql: 'SELECT id FROM payments WHERE amount::numeric > 100' },
  { id: 'sarg-unindexed', rule: 'sargable-predicate', kind: 'negative', sql: "SELECT id FROM products WHERE date_trunc('day', created_at) = '2024-01-02'" , needsFacts: true },

  // leading-wildcard-like
  { id: 'like-leading', rule: 'leading-wildcard-like', kind: 'proposal', sql: "SELECT id FROM users WHERE email LIKE '%example%'" },
  { id: 'ilike-leading', rule: 'leading-wildcard-like', kind: 'proposal', sql: "SELECT id FROM products WHERE name ILIKE '%duct 1%'" },
  { id: 'like-prefix', rule: 'leading-wildcard-like', kind: 'negative', sql: "SELECT id FROM users WHERE email LIKE 'user1%'" },
  { id: 'like-too-short', rule: 'leading-wildcard-like', kind: 'negative', sql: "SELECT id FROM users WHERE email LIKE '%a%'" },

  // order-by-random
  { id: 'random-sample', rule: 'order-by-random', kind: 'semantics-change', sql: 'SELECT id FROM orders ORDER BY random() LIMIT 5' },
  { id: 'random-small-table', rule: 'order-by-random', kind: 'negative', sql: 'SELECT id FROM categories ORDER BY random() LIMIT 50' , needsFacts: true },

  // union-to-union-all
  { id: 'union-disjoint', rule: 'union-to-union-all', kind: 'positive', sql: "SELECT id, status FROM orders WHERE status = 'pending' UNION SELECT id, status FROM orders WHERE status = 'cancelled'" },
  {
    id: 'union-branch-duplicates-trap',
    rule: 'union-to-union-all',
    kind: 'trap',
    sql: "SELECT user_id FROM orders WHERE status = 'delivered' UNION SELECT user_id FROM orders WHERE status = 'shipped'",
    naive: "SELECT user_id FROM orders WHERE status = 'delivered' UNION ALL SELECT user_id FROM orders WHERE status = 'shipped'",
  },
  {
    id: 'union-char-padding-trap',
    rule: 'union-to-union-all',
    kind: 'trap',
    sql: "SELECT id, country FROM users WHERE country = 'US' UNION SELECT id, country FROM users WHERE country = 'US '",
    naive: "SELECT id, country FROM users WHERE country = 'US' UNION ALL SELECT id, country FROM users WHERE country = 'US '",
    needsFacts: true,
  },
  { id: 'union-overlapping', rule: 'union-to-union-all', kind: 'negative', sql: "SELECT id FROM orders WHERE status = 'pending' UNION SELECT id FROM orders WHERE total > 400" },

  // in-list-to-any
  { id: 'in-list-ints', rule: 'in-list-to-any', kind: 'positive', sql: `SELECT id, email FROM users WHERE id IN (${ids(60)})` },
  { id: 'not-in-list-ints', rule: 'in-list-to-any', kind: 'positive', sql: `SELECT id FROM users WHERE id NOT IN (${ids(60, 5)})` },
  { id: 'in-list-text', rule: 'in-list-to-any', kind: 'positive', sql: `SELECT id FROM users WHERE email IN (${emails(55)})` },
  { id: 'in-list-short', rule: 'in-list-to-any', kind: 'negative', sql: 'SELECT id FROM users WHERE id IN (1, 2, 3)' },

  // cte-materialization
  { id: 'cte-forced', rule: 'cte-materialization', kind: 'positive', sql: 'WITH o AS MATERIALIZED (SELECT * FROM orders) SELECT o.id FROM o WHERE o.user_id = 42', expectVerified: true },
  { id: 'cte-twice', rule: 'cte-materialization', kind: 'positive', sql: 'WITH big AS (SELECT user_id, total FROM orders) SELECT a.user_id, b.total FROM big a JOIN big b ON a.user_id = b.user_id WHERE a.user_id = 7 AND b.total > 100' },
  { id: 'cte-inlined-already', rule: 'cte-materialization', kind: 'negative', sql: 'WITH o AS (SELECT * FROM orders) SELECT o.id FROM o WHERE o.user_id = 1' },
  { id: 'cte-limit-ties-trap', rule: 'cte-materialization', kind: 'trap', sql: "WITH t AS MATERIALIZED (SELECT id, status FROM orders ORDER BY status LIMIT 10) SELECT t.id FROM t WHERE t.status = 'cancelled'" },
  { id: 'cte-volatile-trap', rule: 'cte-materialization', kind: 'trap', sql: 'WITH r AS MATERIALIZED (SELECT id, random() AS x FROM orders) SELECT r.id FROM r WHERE r.x < 0.5' },
];
