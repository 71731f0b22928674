-- pgroll alter_column: new default for new rows, a CHECK for new rows only
SET lock_timeout = '1s';
ALTER TABLE products ALTER COLUMN stock SET DEFAULT 0;
ALTER TABLE products ADD CONSTRAINT products_stock_nonnegative CHECK (stock >= 0) NOT VALID;
