import knexFactory from 'knex';
import type { Knex } from 'knex';

export type Json = Record<string, unknown> | unknown[];

export function knexRoutes(url: string): { routes: Record<string, () => Promise<Json>>; warm: () => Promise<void>; close: () => Promise<void> } {
  const knex: Knex = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 8 } });
  const routes: Record<string, () => Promise<Json>> = {
    // N+1 (1 + N): the items of each order, one query per order
    '/knex/orders': async () => {
      const orders = await knex('orders').orderBy('id').limit(10);
      for (const order of orders) {
        order.items = await knex('order_items').where('order_id', order.id);
      }
      return orders;
    },
    // the fix db-optimize proposes for Knex: whereIn, then group in memory
    '/knex/orders-fixed': async () => {
      const orders = await knex('orders').orderBy('id').limit(10);
      const items = await knex('order_items').whereIn('order_id', orders.map((o) => o.id));
      return orders.map((o) => ({ ...o, items: items.filter((i) => i.order_id === o.id) }));
    },
    // parallel fan-out: one query per category, all at once
    '/knex/category-products': async () => {
      const categories = await knex('categories').orderBy('id').limit(8);
      return Promise.all(categories.map(async (c) => ({ ...c, products: await knex('products').where('category_id', c.id) })));
    },
    '/knex/category-products-fixed': async () => {
      const categories = await knex('categories').orderBy('id').limit(8);
      const products = await knex('products').whereIn('category_id', categories.map((c) => c.id));
      return categories.map((c) => ({ ...c, products: products.filter((p) => p.category_id === c.id) }));
    },
    // legitimate: paging through a table, each page depends on the previous one
    '/knex/export-orders': async () => {
      const all: unknown[] = [];
      for (let offset = 0; ; offset += 10) {
        const page = await knex('orders').orderBy('id').limit(10).offset(offset);
        all.push(...page);
        if (page.length < 10) break;
      }
      return { exported: all.length };
    },
    // legitimate: a batch job running distinct statements
    '/knex/nightly-stats': async () => {
      const out: Record<string, unknown> = {};
      out.users = await knex('users').count('* as n');
      out.orders = await knex('orders').count('* as n');
      out.items = await knex('order_items').sum('quantity as n');
      out.revenue = await knex('orders').sum('total as n');
      out.latest = await knex('orders').max('created_at as n');
      out.products = await knex('products').avg('price as n');
      out.categories = await knex('categories').count('* as n');
      return out;
    },
    // legitimate: uniqueness checks of candidate e-mails before a sign-up
    '/knex/suggest-email': async () => {
      for (let i = 1; i <= 8; i++) {
        const candidate = `user${i * 7}@example.com`;
        const taken = await knex('users').select(knex.raw('1')).where('email', candidate).first();
        if (taken === undefined) return { email: candidate };
      }
      return { email: null };
    },
  };
  return {
    routes,
    // opens the pool's connections up front, so a fan-out's queries really run at the same time
    // instead of waiting one by one for new connections on a slow machine
    warm: async () => {
      await Promise.all(Array.from({ length: 8 }, () => knex.raw('SELECT 1')));
    },
    close: () => knex.destroy(),
  };
}
