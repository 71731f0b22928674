-- authors → books → reviews, for the TypeORM and MikroORM n1 tests
CREATE TABLE authors (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
CREATE TABLE books (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, author_id int NOT NULL REFERENCES authors(id), title text NOT NULL);
CREATE INDEX books_author_id_idx ON books (author_id);
CREATE TABLE reviews (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, book_id int NOT NULL REFERENCES books(id), rating int NOT NULL);
CREATE INDEX reviews_book_id_idx ON reviews (book_id);
INSERT INTO authors (name) SELECT 'Author ' || g FROM generate_series(1, 20) g;
INSERT INTO books (author_id, title) SELECT g % 20 + 1, 'Book ' || g FROM generate_series(1, 60) g;
INSERT INTO reviews (book_id, rating) SELECT g % 60 + 1, 1 + g % 5 FROM generate_series(1, 120) g;
ANALYZE;
