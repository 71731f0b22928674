import { describe, expect, it } from 'vitest';
import { ORMS } from './orm.ts';
import type { Orm } from './orm.ts';
import { ormFromSql } from './orm.ts';
import { batchedSql, bulkInsertFix, eagerLoadFix } from './orm-fixes.ts';
import type { Relationship } from './relationship.ts';

const userOrders: Relationship = {
  kind: 'one-to-many',
  ownerTable: 'users',
  loopTable: 'orders',
  loopColumn: 'user_id',
  fkTable: 'orders',
  fkColumn: 'user_id',
  referencedTable: 'users',
  referencedColumn: 'id',
  source: 'foreign-key',
  constraint: 'orders_user_id_fkey',
};
const orderUser: Relationship = { ...userOrders, kind: 'many-to-one', ownerTable: 'orders', loopTable: 'users', loopColumn: 'id', referencedTable: 'users' };

describe('ORM fixes', () => {
  it('emits the idiomatic eager load for every ORM, with the query count after', () => {
    const expected: Record<Orm, [RegExp, number]> = {
      sqlalchemy: [/selectinload\(User\.orders\), raiseload\('\*'\)[\s\S]*joinedload\(User\.orders\)[\s\S]*subqueryload/, 2],
      prisma: [/prisma\.user\.findMany\(\{\n {2}include: \{ orders: true \}[\s\S]*relationLoadStrategy: 'join'/, 2],
      typeorm: [/find\(\{ relations: \{ orders: true \} \}\)[\s\S]*leftJoinAndSelect\('user\.orders', 'orders'\)/, 1],
      sequelize: [/User\.findAll\(\{\n {2}include: \[\{ model: Order, as: 'orders' \}\]/, 1],
      drizzle: [/db\.query\.users\.findMany\(\{ with: \{ orders: true \} \}\)/, 1],
      knex: [/knex\('orders'\)\.whereIn\('user_id', users\.map\(\(row\) => row\.id\)\)/, 2],
      'mikro-orm': [/em\.find\(User, \{\}, \{ populate: \['orders'\] \}\)/, 2],
      dataloader: [/new DataLoader\(async \(keys\) => \{[\s\S]*WHERE user_id = ANY\(\$1\)/, 2],
      pg: [/SELECT \* FROM orders WHERE user_id = ANY\(\$1\)', \[users\.map\(\(row\) => row\.id\)\]/, 2],
    };
    for (const orm of ORMS) {
      const fix = eagerLoadFix(orm, [userOrders], true);
      expect(fix.code, orm).toMatch(expected[orm][0]);
      expect(fix.expectedQueries, orm).toBe(expected[orm][1]);
    }
  });

  it('names a many-to-one relationship after the foreign key (Order.user)', () => {
    expect(eagerLoadFix('sqlalchemy', [orderUser], true).code).toContain('selectinload(Order.user)');
    expect(eagerLoadFix('knex', [orderUser], true).code).toContain("knex('users').whereIn('id', orders.map((row) => row.user_id))");
  });

  it('chains nested loads for an MN+1 and counts one query per level', () => {
    const items: Relationship = { ...userOrders, ownerTable: 'orders', loopTable: 'order_items', loopColumn: 'order_id', fkTable: 'order_items', fkColumn: 'order_id', referencedTable: 'orders' };
    const fix = eagerLoadFix('sqlalchemy', [userOrders, items], true);
    expect(fix.code).toContain('selectinload(User.orders).selectinload(Order.order_items)');
    expect(fix.expectedQueries).toBe(3);
  });

  it('batches the loop in SQL and turns row-by-row inserts into one statement', () => {
    expect(batchedSql(userOrders)).toMatch(/^SELECT \* FROM orders WHERE user_id = ANY\(\$1\)/);
    expect(bulkInsertFix('sequelize', 'events', []).code).toBe('await Event.bulkCreate(rows);');
    expect(bulkInsertFix('knex', 'events', []).code).toBe("await knex.batchInsert('events', rows, 1000);");
    expect(bulkInsertFix('sqlalchemy', 'events', []).code).toContain('session.execute(insert(Event), rows)');
  });

  it('recognises the ORM from the SQL it generates', () => {
    expect(ormFromSql('SELECT orders.id AS orders_id, orders.user_id AS orders_user_id FROM orders WHERE 5 = orders.user_id')).toBe('sqlalchemy');
    expect(ormFromSql('SELECT "id" FROM "orders" AS "Order" WHERE "Order"."user_id" = 1;')).toBe('sequelize');
    expect(ormFromSql('SELECT "public"."orders"."id" FROM "public"."orders" WHERE "public"."orders"."user_id" IN ($1)')).toBe('prisma');
    expect(ormFromSql('select * from "order_items" where "order_id" = $1')).toBe('knex');
  });
});
