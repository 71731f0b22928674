/**
 * N structurally distinct statements over the e-commerce schema (different predicate columns,
 * operators, orderings and select lists), deterministic, with varied call rates: the input of the
 * scaling run.
 */
const COLUMNS: Readonly<Record<string, readonly { name: string; eq: string; lt: string; gt: string }[]>> = {
  orders: [
    { name: 'user_id', eq: '4242', lt: '100', gt: '39000' },
    { name: 'status', eq: "'pending'", lt: "'c'", gt: "'s'" },
    { name: 'created_at', eq: "'2025-03-01'", lt: "'2024-02-01'", gt: "'2025-12-01'" },
    { name: 'total', eq: '10.5', lt: '5', gt: '990' },
  ],
  users: [
    { name: 'email', eq: "'user77@example.com'", lt: "'user1'", gt: "'user99'" },
    { name: 'country', eq: "'FR'", lt: "'DE'", gt: "'PL'" },
    { name: 'created_at', eq: "'2022-03-01'", lt: "'2022-01-10'", gt: "'2023-12-01'" },
    { name: 'last_login', eq: "'2025-05-01'", lt: "'2025-01-05'", gt: "'2025-12-20'" },
  ],
  products: [
    { name: 'category_id', eq: '7', lt: '3', gt: '98' },
    { name: 'price', eq: '10.99', lt: '2', gt: '495' },
    { name: 'stock', eq: '0', lt: '3', gt: '197' },
    { name: 'created_at', eq: "'2023-02-01'", lt: "'2023-01-05'", gt: "'2023-07-01'" },
  ],
  reviews: [
    { name: 'product_id', eq: '99', lt: '10', gt: '9990' },
    { name: 'user_id', eq: '555', lt: '50', gt: '39950' },
    { name: 'rating', eq: '1', lt: '2', gt: '4' },
    { name: 'created_at', eq: "'2024-02-01'", lt: "'2024-01-02'", gt: "'2024-05-20'" },
  ],
  order_items: [
    { name: 'order_id', eq: '777', lt: '50', gt: '99990' },
    { name: 'product_id', eq: '123', lt: '10', gt: '9990' },
    { name: 'quantity', eq: '4', lt: '2', gt: '3' },
    { name: 'unit_price', eq: '10.5', lt: '1', gt: '299' },
  ],
};

export function scalingStatements(n: number): { sql: string; calls: number }[] {
  const out: { sql: string; calls: number }[] = [];
  const ops = ['eq', 'lt', 'gt'] as const;
  const opText = { eq: '=', lt: '<', gt: '>' } as const;
  let seed = 12345;
  const rand = (m: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % m;
  };
  const shapes: string[] = [];
  for (const [table, cols] of Object.entries(COLUMNS)) {
    for (let a = 0; a < cols.length; a++) {
      for (let b = a; b < cols.length; b++) {
        for (const oa of ops) {
          for (const ob of ops) {
            if (a === b && ob !== 'eq') continue;
            for (let order = 0; order <= cols.length; order++) {
              for (const select of ['*', 'id', 'count(*)']) {
                const ca = cols[a];
                const cb = cols[b];
                const co = cols[order];
                if (ca === undefined || cb === undefined) continue;
                const where = a === b ? `${ca.name} ${opText[oa]} ${ca[oa]}` : `${ca.name} ${opText[oa]} ${ca[oa]} AND ${cb.name} ${opText[ob]} ${cb[ob]}`;
                const orderBy = select === 'count(*)' || co === undefined ? '' : ` ORDER BY ${co.name}${order % 2 === 0 ? ' DESC' : ''} LIMIT ${10 + order}`;
                shapes.push(`SELECT ${select} FROM ${table} WHERE ${where}${orderBy}`);
              }
            }
          }
        }
      }
    }
  }
  const used = new Set<number>();
  while (out.length < n && used.size < shapes.length) {
    const k = rand(shapes.length);
    if (used.has(k)) continue;
    used.add(k);
    out.push({ sql: shapes[k] ?? '', calls: [1, 10, 100, 1000, 10000][rand(5)] ?? 1 });
  }
  return out;
}
