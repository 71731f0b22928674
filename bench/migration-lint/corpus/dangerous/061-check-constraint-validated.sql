-- strong_migrations 'adding a check constraint': validates every row under ACCESS EXCLUSIVE
ALTER TABLE orders ADD CONSTRAINT orders_price_check CHECK (price > 0);
