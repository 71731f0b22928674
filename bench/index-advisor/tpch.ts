import type { Template } from './ecommerce.ts';

/**
 * A TPC-H-like schema and data generated in SQL (deterministic, scale factor SF: lineitem ≈
 * 6M × SF rows) and 16 query templates adapted from the benchmark's queries, each run once a day.
 * Like TPC-H, only primary keys exist at the start.
 */
export function tpchSchemaSql(sf: number): string {
  const supplier = Math.round(10_000 * sf);
  const customer = Math.round(150_000 * sf);
  const part = Math.round(200_000 * sf);
  const orders = Math.round(1_500_000 * sf);
  return `
CREATE TABLE region (r_regionkey int PRIMARY KEY, r_name text NOT NULL, r_comment text);
CREATE TABLE nation (n_nationkey int PRIMARY KEY, n_name text NOT NULL, n_regionkey int NOT NULL, n_comment text);
CREATE TABLE supplier (s_suppkey int PRIMARY KEY, s_name text NOT NULL, s_address text, s_nationkey int NOT NULL, s_phone text, s_acctbal numeric(12,2), s_comment text);
CREATE TABLE customer (c_custkey int PRIMARY KEY, c_name text NOT NULL, c_address text, c_nationkey int NOT NULL, c_phone text, c_acctbal numeric(12,2), c_mktsegment text NOT NULL, c_comment text);
CREATE TABLE part (p_partkey int PRIMARY KEY, p_name text NOT NULL, p_mfgr text, p_brand text NOT NULL, p_type text NOT NULL, p_size int NOT NULL, p_container text NOT NULL, p_retailprice numeric(12,2), p_comment text);
CREATE TABLE partsupp (ps_partkey int NOT NULL, ps_suppkey int NOT NULL, ps_availqty int, ps_supplycost numeric(12,2), ps_comment text, PRIMARY KEY (ps_partkey, ps_suppkey));
CREATE TABLE orders (o_orderkey int PRIMARY KEY, o_custkey int NOT NULL, o_orderstatus char(1) NOT NULL, o_totalprice numeric(12,2), o_orderdate date NOT NULL, o_orderpriority text NOT NULL, o_clerk text, o_shippriority int, o_comment text);
CREATE TABLE lineitem (l_orderkey int NOT NULL, l_partkey int NOT NULL, l_suppkey int NOT NULL, l_linenumber int NOT NULL, l_quantity numeric(12,2) NOT NULL,
  l_extendedprice numeric(12,2) NOT NULL, l_discount numeric(12,2) NOT NULL, l_tax numeric(12,2) NOT NULL, l_returnflag char(1) NOT NULL, l_linestatus char(1) NOT NULL,
  l_shipdate date NOT NULL, l_commitdate date NOT NULL, l_receiptdate date NOT NULL, l_shipinstruct text, l_shipmode text NOT NULL, l_comment text, PRIMARY KEY (l_orderkey, l_linenumber));
INSERT INTO region SELECT g, (ARRAY['AFRICA','AMERICA','ASIA','EUROPE','MIDDLE EAST'])[g + 1], 'region ' || g FROM generate_series(0, 4) g;
INSERT INTO nation SELECT g, 'NATION' || g, g % 5, 'nation ' || g FROM generate_series(0, 24) g;
INSERT INTO supplier SELECT g, 'Supplier#' || g, 'addr ' || g, g % 25, '1' || (g % 25) || '-' || lpad(g::text, 7, '0'), (g % 11000) - 999.99, 'supplier comment ' || g FROM generate_series(1, ${supplier}) g;
INSERT INTO customer SELECT g, 'Customer#' || g, 'addr ' || g, g % 25, '1' || (g % 25) || '-' || lpad(g::text, 7, '0'), (g % 11000) - 999.99,
  (ARRAY['AUTOMOBILE','BUILDING','FURNITURE','HOUSEHOLD','MACHINERY'])[g % 5 + 1], 'customer comment ' || g FROM generate_series(1, ${customer}) g;
INSERT INTO part SELECT g, 'part ' || (ARRAY['almond','antique','blue','brown','forest','green','khaki','lace'])[g % 8 + 1] || ' ' || g, 'Manufacturer#' || (g % 5 + 1),
  'Brand#' || (g % 5 + 1) || (g % 5 + 1), (ARRAY['STANDARD','SMALL','MEDIUM','LARGE','ECONOMY','PROMO'])[g % 6 + 1] || ' ' || (ARRAY['ANODIZED','BURNISHED','PLATED','POLISHED','BRUSHED'])[g % 5 + 1] || ' ' || (ARRAY['TIN','NICKEL','BRASS','STEEL','COPPER'])[g % 5 + 1],
  g % 50 + 1, (ARRAY['SM','LG','MED','JUMBO','WRAP'])[g % 5 + 1] || ' ' || (ARRAY['CASE','BOX','BAG','JAR','PKG','PACK','CAN','DRUM'])[g % 8 + 1], 900 + (g % 1000), 'part comment' FROM generate_series(1, ${part}) g;
INSERT INTO partsupp SELECT p, (p + k * (${supplier} / 4)) % ${supplier} + 1, (p * k) % 9999 + 1, ((p * 7 + k) % 1000) + 1.0, 'ps comment'
  FROM generate_series(1, ${part}) p, generate_series(0, 3) k;
INSERT INTO orders SELECT g, (g::bigint * 7919) % ${customer} + 1, (ARRAY['F','O','P'])[g % 3 + 1], (g % 500000) + 900.0, date '1992-01-01' + (g * 2405 / ${orders}),
  (ARRAY['1-URGENT','2-HIGH','3-MEDIUM','4-NOT SPECIFIED','5-LOW'])[g % 5 + 1], 'Clerk#' || (g % 1000), 0, 'order comment ' || g FROM generate_series(1, ${orders}) g;
INSERT INTO lineitem SELECT o, (o * 31 + l) % ${part} + 1, (o * 17 + l) % ${supplier} + 1, l, ((o + l) % 50) + 1, (((o + l) % 50) + 1) * 950.0, ((o * l) % 11) / 100.0, ((o + l) % 9) / 100.0,
  CASE WHEN o % 4 = 0 THEN 'R' WHEN o % 4 = 1 THEN 'A' ELSE 'N' END, CASE WHEN o % 2 = 0 THEN 'F' ELSE 'O' END,
  date '1992-01-01' + (o * 2405 / ${orders}) + (l * 7 + o % 30), date '1992-01-01' + (o * 2405 / ${orders}) + 30 + l, date '1992-01-01' + (o * 2405 / ${orders}) + (l * 7 + o % 30) + (o % 20),
  (ARRAY['DELIVER IN PERSON','COLLECT COD','NONE','TAKE BACK RETURN'])[o % 4 + 1], (ARRAY['AIR','MAIL','RAIL','SHIP','TRUCK','REG AIR','FOB'])[(o + l) % 7 + 1], 'li comment'
  FROM generate_series(1, ${orders}) o, generate_series(1, 1 + o % 7) l;
ANALYZE;`;
}

export function tpchTemplates(sf: number): Template[] {
  const customer = Math.round(150_000 * sf);
  const orders = Math.round(1_500_000 * sf);
  const year = (i: number): number => 1993 + (i % 5);
  return [
    { name: 'Q1 pricing summary (scan)', calls: 1, sql: () => `SELECT l_returnflag, l_linestatus, sum(l_quantity), sum(l_extendedprice), avg(l_discount), count(*) FROM lineitem WHERE l_shipdate <= date '1998-09-01' GROUP BY l_returnflag, l_linestatus ORDER BY 1, 2` },
    { name: 'Q2 min cost supplier', calls: 1, sql: (i) => `SELECT s.s_name, ps.ps_supplycost FROM partsupp ps JOIN supplier s ON s.s_suppkey = ps.ps_suppkey WHERE ps.ps_partkey = ${(i * 977) % (200_000 * sf) + 1} ORDER BY ps.ps_supplycost LIMIT 1` },
    { name: 'Q3 shipping priority', calls: 1, sql: (i) => `SELECT l.l_orderkey, sum(l.l_extendedprice * (1 - l.l_discount)) AS revenue, o.o_orderdate FROM customer c JOIN orders o ON o.o_custkey = c.c_custkey JOIN lineitem l ON l.l_orderkey = o.o_orderkey WHERE c.c_mktsegment = 'BUILDING' AND o.o_orderdate < date '1995-03-${10 + (i % 5)}' AND o.o_orderdate > date '1995-02-20' AND l.l_shipdate > date '1995-03-15' GROUP BY l.l_orderkey, o.o_orderdate ORDER BY revenue DESC LIMIT 10` },
    { name: 'Q4 order priority', calls: 1, sql: (i) => `SELECT o_orderpriority, count(*) FROM orders WHERE o_orderdate >= date '${year(i)}-07-01' AND o_orderdate < date '${year(i)}-07-15' AND EXISTS (SELECT 1 FROM lineitem WHERE l_orderkey = o_orderkey AND l_commitdate < l_receiptdate) GROUP BY o_orderpriority ORDER BY 1` },
    { name: 'Q5 local supplier volume', calls: 1, sql: (i) => `SELECT n.n_name, sum(l.l_extendedprice * (1 - l.l_discount)) FROM customer c JOIN orders o ON o.o_custkey = c.c_custkey JOIN lineitem l ON l.l_orderkey = o.o_orderkey JOIN supplier s ON s.s_suppkey = l.l_suppkey AND s.s_nationkey = c.c_nationkey JOIN nation n ON n.n_nationkey = s.s_nationkey JOIN region r ON r.r_regionkey = n.n_regionkey WHERE r.r_name = 'ASIA' AND o.o_orderdate >= date '${year(i)}-01-01' AND o.o_orderdate < date '${year(i)}-01-20' GROUP BY n.n_name` },
    { name: 'Q6 forecast revenue', calls: 1, sql: (i) => `SELECT sum(l_extendedprice * l_discount) FROM lineitem WHERE l_shipdate >= date '${year(i)}-01-01' AND l_shipdate < date '${year(i)}-02-01' AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24` },
    { name: 'Q10 returned items', calls: 1, sql: (i) => `SELECT c.c_custkey, c.c_name, sum(l.l_extendedprice * (1 - l.l_discount)) AS revenue FROM customer c JOIN orders o ON o.o_custkey = c.c_custkey JOIN lineitem l ON l.l_orderkey = o.o_orderkey WHERE o.o_orderdate >= date '${year(i)}-10-01' AND o.o_orderdate < date '${year(i)}-10-20' AND l.l_returnflag = 'R' GROUP BY c.c_custkey, c.c_name ORDER BY revenue DESC LIMIT 20` },
    { name: 'Q12 ship modes', calls: 1, sql: (i) => `SELECT l_shipmode, count(*) FROM lineitem WHERE l_shipmode IN ('MAIL', 'SHIP') AND l_receiptdate >= date '${year(i)}-01-01' AND l_receiptdate < date '${year(i)}-01-15' GROUP BY l_shipmode` },
    { name: 'Q13 customer distribution (scan)', calls: 1, sql: () => `SELECT c_count, count(*) FROM (SELECT c.c_custkey, count(o.o_orderkey) AS c_count FROM customer c LEFT JOIN orders o ON o.o_custkey = c.c_custkey AND o.o_comment NOT LIKE '%special%' GROUP BY c.c_custkey) x GROUP BY c_count ORDER BY 2 DESC LIMIT 5` },
    { name: 'Q14 promotion effect', calls: 1, sql: (i) => `SELECT sum(CASE WHEN p.p_type LIKE 'PROMO%' THEN l.l_extendedprice ELSE 0 END) / sum(l.l_extendedprice) FROM lineitem l JOIN part p ON p.p_partkey = l.l_partkey WHERE l.l_shipdate >= date '${year(i)}-09-01' AND l.l_shipdate < date '${year(i)}-09-08'` },
    { name: 'Q16 parts/supplier relationship (scan)', calls: 1, sql: () => `SELECT p_brand, p_type, p_size, count(*) FROM part WHERE p_brand <> 'Brand#45' AND p_type NOT LIKE 'MEDIUM POLISHED%' AND p_size IN (49, 14, 23, 45, 19, 3, 36, 9) GROUP BY p_brand, p_type, p_size ORDER BY 4 DESC LIMIT 10` },
    { name: 'Q17 small-quantity revenue', calls: 1, sql: () => `SELECT sum(l.l_extendedprice) / 7.0 FROM lineitem l JOIN part p ON p.p_partkey = l.l_partkey WHERE p.p_brand = 'Brand#23' AND p.p_container = 'MED BOX' AND l.l_quantity < 3` },
    { name: 'Q18 orders of a customer', calls: 1, sql: (i) => `SELECT o_orderkey, o_totalprice, o_orderdate FROM orders WHERE o_custkey = ${(i * 7919) % customer + 1} ORDER BY o_orderdate DESC` },
    { name: 'Q19 discounted revenue', calls: 1, sql: () => `SELECT sum(l.l_extendedprice * (1 - l.l_discount)) FROM lineitem l JOIN part p ON p.p_partkey = l.l_partkey WHERE p.p_brand = 'Brand#12' AND p.p_container IN ('SM CASE', 'SM BOX') AND l.l_quantity BETWEEN 1 AND 11 AND p.p_size BETWEEN 1 AND 5 AND l.l_shipmode IN ('AIR', 'REG AIR')` },
    { name: 'Q21-lite late suppliers of an order', calls: 1, sql: (i) => `SELECT l_suppkey, l_receiptdate - l_commitdate FROM lineitem WHERE l_orderkey = ${(i * 104729) % orders + 1} AND l_receiptdate > l_commitdate` },
    { name: 'Q22-lite customers by phone prefix', calls: 1, sql: () => `SELECT count(*), sum(c_acctbal) FROM customer WHERE c_phone LIKE '13-%' AND c_acctbal > 0` },
  ];
}
