-- the second migration of a NOT VALID / VALIDATE pair
SET lock_timeout = '1s';
ALTER TABLE products VALIDATE CONSTRAINT products_stock_nonnegative;
