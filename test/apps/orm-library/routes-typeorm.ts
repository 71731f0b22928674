import { DataSource, EntitySchema } from 'typeorm';
import { runPrinted } from './routes.ts';
import type { Json, OrmRoutes } from './routes.ts';

interface Review { id: number; rating: number; book?: Book }
interface Book { id: number; title: string; author?: Author; reviews?: Review[] }
interface Author { id: number; name: string; books?: Book[] }

// EntitySchema: no decorators, so the app runs under tsx without emitDecoratorMetadata
const Author = new EntitySchema<Author>({
  name: 'Author',
  tableName: 'authors',
  columns: { id: { type: Number, primary: true, generated: true }, name: { type: String } },
  relations: { books: { type: 'one-to-many', target: 'Book', inverseSide: 'author' } },
});
const Book = new EntitySchema<Book>({
  name: 'Book',
  tableName: 'books',
  columns: { id: { type: Number, primary: true, generated: true }, title: { type: String } },
  relations: {
    author: { type: 'many-to-one', target: 'Author', joinColumn: { name: 'author_id' }, inverseSide: 'books' },
    reviews: { type: 'one-to-many', target: 'Review', inverseSide: 'book' },
  },
});
const Review = new EntitySchema<Review>({
  name: 'Review',
  tableName: 'reviews',
  columns: { id: { type: Number, primary: true, generated: true }, rating: { type: Number } },
  relations: { book: { type: 'many-to-one', target: 'Book', joinColumn: { name: 'book_id' }, inverseSide: 'reviews' } },
});

export async function typeormRoutes(url: string): Promise<OrmRoutes> {
  const dataSource = new DataSource({ type: 'postgres', url, entities: [Author, Book, Review], logging: false, poolSize: 5 });
  await dataSource.initialize();
  const authors = dataSource.getRepository(Author);
  const books = dataSource.getRepository(Book);
  const reviews = dataSource.getRepository(Review);
  const page = async (): Promise<Author[]> => authors.find({ order: { id: 'ASC' }, take: 8 });
  const routes: Record<string, () => Promise<Json>> = {
    // 1 + N: the books of each author, one query per author
    '/typeorm/authors': async () => {
      const list = await page();
      for (const a of list) a.books = await books.findBy({ author: { id: a.id } });
      return list;
    },
    // nested N + 1: books per author, then reviews per book
    '/typeorm/authors-reviews': async () => {
      const list = await page();
      for (const a of list) {
        a.books = await books.findBy({ author: { id: a.id } });
        for (const b of a.books) b.reviews = await reviews.findBy({ book: { id: b.id } });
      }
      return list;
    },
  };
  return {
    routes,
    // the code db-optimize printed, run as printed: its names are the ones this app declares
    runFix: (code) => runPrinted(code, { dataSource, Author, Book, Review }),
    warm: async () => void (await page()),
    close: () => dataSource.destroy(),
  };
}
