-- a cast with USING rewrites the table
ALTER TABLE invoices ALTER COLUMN number TYPE text USING number::text;
