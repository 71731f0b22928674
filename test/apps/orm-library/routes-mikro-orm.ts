import { Collection, EntitySchema, MikroORM } from '@mikro-orm/postgresql';
import { runPrinted } from './routes.ts';
import type { Json, OrmRoutes } from './routes.ts';

class Author {
  id!: number;
  name!: string;
  books = new Collection<Book>(this);
}
class Book {
  id!: number;
  title!: string;
  author!: Author;
  reviews = new Collection<Review>(this);
}
class Review {
  id!: number;
  rating!: number;
  book!: Book;
}

// EntitySchema: no decorators and no reflection, so the app runs under tsx as is
const schemas = [
  new EntitySchema<Author>({
    class: Author,
    tableName: 'authors',
    properties: { id: { type: 'number', primary: true }, name: { type: 'string' }, books: { kind: '1:m', entity: () => Book, mappedBy: 'author' } },
  }),
  new EntitySchema<Book>({
    class: Book,
    tableName: 'books',
    properties: {
      id: { type: 'number', primary: true },
      title: { type: 'string' },
      author: { kind: 'm:1', entity: () => Author, fieldName: 'author_id' },
      reviews: { kind: '1:m', entity: () => Review, mappedBy: 'book' },
    },
  }),
  new EntitySchema<Review>({
    class: Review,
    tableName: 'reviews',
    properties: { id: { type: 'number', primary: true }, rating: { type: 'number' }, book: { kind: 'm:1', entity: () => Book, fieldName: 'book_id' } },
  }),
];

export async function mikroOrmRoutes(url: string): Promise<OrmRoutes> {
  const orm = await MikroORM.init({ clientUrl: url, entities: schemas, debug: false, pool: { min: 0, max: 5 } });
  const page = (em: typeof orm.em): Promise<Author[]> => em.find(Author, {}, { orderBy: { id: 'asc' }, limit: 8 });
  const routes: Record<string, () => Promise<Json>> = {
    // 1 + N: each author's books collection initialised one by one
    '/mikro-orm/authors': async () => {
      const em = orm.em.fork();
      const list = await page(em);
      for (const a of list) await a.books.init();
      return list.map((a) => ({ id: a.id, books: a.books.length }));
    },
    // nested N + 1: books per author, then reviews per book
    '/mikro-orm/authors-reviews': async () => {
      const em = orm.em.fork();
      const list = await page(em);
      for (const a of list) {
        await a.books.init();
        for (const b of a.books) await b.reviews.init();
      }
      return list.map((a) => ({ id: a.id, books: a.books.length, reviews: a.books.getItems().reduce((n, b) => n + b.reviews.length, 0) }));
    },
  };
  return {
    routes,
    runFix: async (code) => {
      const list = (await runPrinted(code, { em: orm.em.fork(), Author, Book, Review })) as Author[];
      return list.map((a) => ({ id: a.id, books: a.books.length }));
    },
    warm: async () => void (await page(orm.em.fork())),
    close: () => orm.close(),
  };
}
