BEGIN;
INSERT INTO categories (id, parent_id, name) VALUES (9001, NULL, 'Gift cards');
COMMIT;
