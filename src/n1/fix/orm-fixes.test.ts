import { beforeAll, describe, expect, it } from 'vitest';
import { initSqlParser } from '../../sql/parser.ts';
import { ORMS } from './orm.ts';
import type { Orm } from './orm.ts';
import { ormFromSql } from './orm.ts';
import { batchByKeyFix, batchedSql, bulkInsertFix, eagerLoadFix, sequelizeAliases } from './orm-fixes.ts';
import { parentQueryOf } from './parent-query.ts';
import type { StatementShape } from '../statement-shape.ts';
import { analyzeStatement } from '../statement-shape.ts';
import type { Relationship } from './relationship.ts';
import { inferRelationship } from './relationship.ts';

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

beforeAll(initSqlParser);

describe('ORM fixes', () => {
  it('emits the idiomatic eager load for every ORM, with the query count after', () => {
    const expected: Record<Orm, [RegExp, number]> = {
      sqlalchemy: [/selectinload\(User\.orders\), raiseload\('\*'\)[\s\S]*joinedload\(User\.orders\)[\s\S]*subqueryload/, 2],
      prisma: [/prisma\.user\.findMany\(\{\n {2}include: \{ orders: true \}[\s\S]*relationLoadStrategy: 'join'/, 2],
      typeorm: [/find\(\{\n {2}relations: \{ orders: true \},\n\}\)[\s\S]*leftJoinAndSelect\('user\.orders', 'orders'\)/, 1],
      sequelize: [/User\.findAll\(\{\n {2}include: \[\{ model: Order \}\],/, 1],
      drizzle: [/db\.query\.users\.findMany\(\{\n {2}with: \{ orders: true \},\n\}\)/, 1],
      knex: [/knex\('orders'\)\.whereIn\('user_id', users\.map\(\(row\) => row\.id\)\)/, 2],
      'mikro-orm': [/em\.find\(User, \{\}, \{\n {2}populate: \['orders'\],\n\}\)/, 1],
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
    expect(ormFromSql('select "b0".* from "book" as "b0" where "b0"."author_id" in (1)')).toBe('mikro-orm');
  });

  describe('fixes that run as printed', () => {
    const authorBooks: Relationship = { ...userOrders, ownerTable: 'authors', loopTable: 'books', loopColumn: 'author_id', fkTable: 'books', fkColumn: 'author_id', referencedTable: 'authors' };
    const bookReviews: Relationship = { ...userOrders, ownerTable: 'books', loopTable: 'reviews', loopColumn: 'book_id', fkTable: 'reviews', fkColumn: 'book_id', referencedTable: 'books' };
    const nested = [authorBooks, bookReviews];

    it('nests relations the way each ORM accepts them', () => {
      expect(eagerLoadFix('typeorm', nested, true).code).toContain('relations: { books: { reviews: true } }');
      expect(eagerLoadFix('mikro-orm', nested, true).code).toContain("populate: ['books.reviews']");
      expect(eagerLoadFix('mikro-orm', nested, true).expectedQueries).toBe(1);
      expect(eagerLoadFix('prisma', nested, true).code).toContain('include: { books: { include: { reviews: true } } }');
      expect(eagerLoadFix('drizzle', nested, true).code).toContain('with: { books: { with: { reviews: true } } }');
      expect(eagerLoadFix('sqlalchemy', nested, true).code).toContain('selectinload(Author.books).selectinload(Book.reviews)');
    });

    it('declares a Sequelize alias only when the application declares one', () => {
      expect(eagerLoadFix('sequelize', nested, true).code).toContain('include: [{ model: Book, include: [{ model: Review }] }]');
      const aliases = sequelizeAliases("Author.hasMany(Book, { as: 'titles', foreignKey: 'author_id' });\nBook.hasMany(Review, { foreignKey: 'book_id' });");
      expect(eagerLoadFix('sequelize', nested, true, { aliases }).code).toContain("include: [{ model: Book, as: 'titles', include: [{ model: Review }] }]");
    });

    it("keeps the route's ORDER BY and LIMIT", () => {
      const parent = parentQueryOf('SELECT "Author"."id", "Author"."name" FROM "authors" AS "Author" ORDER BY "Author"."name" DESC, "Author"."id" LIMIT 10;');
      expect(parent).toEqual({ order: [{ column: 'name', desc: true }, { column: 'id', desc: false }], limit: 10 });
      expect(eagerLoadFix('sequelize', [authorBooks], true, { parent }).code).toContain("order: [['name', 'DESC'], ['id', 'ASC']],\n  limit: 10,");
      expect(eagerLoadFix('typeorm', [authorBooks], true, { parent }).code).toContain("order: { name: 'DESC', id: 'ASC' },\n  take: 10,");
      expect(eagerLoadFix('mikro-orm', [authorBooks], true, { parent }).code).toContain("orderBy: { name: 'desc', id: 'asc' },\n  limit: 10,");
      expect(eagerLoadFix('sqlalchemy', [authorBooks], true, { parent }).code).toContain(".order_by(Author.name.desc(), Author.id).limit(10).all()");
      expect(parentQueryOf('SELECT * FROM users WHERE id IN (SELECT user_id FROM orders ORDER BY id LIMIT 3)')).toEqual({ order: [], limit: null });
    });

    it('counts the DISTINCT-ids query TypeORM adds to a page joined with a collection', () => {
      const parent = parentQueryOf('SELECT "Author"."id" AS "Author_id" FROM "authors" "Author" ORDER BY "Author"."id" ASC LIMIT 8');
      expect(eagerLoadFix('typeorm', nested, true, { parent }).expectedQueries).toBe(2);
      expect(eagerLoadFix('typeorm', nested, true).expectedQueries).toBe(1);
      // a many-to-one join does not multiply rows, so the page stays one query
      expect(eagerLoadFix('typeorm', [orderUser], true, { parent }).expectedQueries).toBe(1);
    });

    it("reads TypeORM's filter on a joined parent's key as the child's foreign key", () => {
      const loop = analyzeStatement(
        'SELECT "Book"."id" AS "Book_id" FROM "books" "Book" ' +
          'LEFT JOIN "authors" "Book__Book_author" ON "Book__Book_author"."id"="Book"."author_id" WHERE (((("Book__Book_author"."id" = $1))))',
      );
      const parent = analyzeStatement('SELECT "Author"."id" AS "Author_id" FROM "authors" "Author" ORDER BY "Author"."id" ASC LIMIT 8');
      expect(loop).not.toBeNull();
      const rel = inferRelationship(loop as StatementShape, { table: 'authors', column: 'id' }, parent, null);
      expect(rel).toMatchObject({ kind: 'one-to-many', ownerTable: 'authors', loopTable: 'books', loopColumn: 'author_id' });
    });

    it('batches a fan-out over keys whose relationship is unknown', () => {
      const fix = batchByKeyFix('knex', 'products', 'category_id', false);
      expect(fix.code).toContain("knex('products').whereIn('category_id', keys)");
      expect(fix.expectedQueries).toBe(1);
      expect(batchByKeyFix('sequelize', 'products', 'category_id', true).expectedQueries).toBe(2);
    });
  });
});
