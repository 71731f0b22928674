-- pg-version: 18
-- VIRTUAL (the 18 default) is computed on read: no rewrite
ALTER TABLE order_items ADD COLUMN IF NOT EXISTS line_total numeric GENERATED ALWAYS AS (quantity * unit_price) VIRTUAL;
ALTER TABLE users ADD COLUMN IF NOT EXISTS name_lower text GENERATED ALWAYS AS (lower(name));
