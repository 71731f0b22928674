-- a label renamed while the running release still writes the old one
ALTER TYPE order_status RENAME VALUE 'canceled' TO 'cancelled';
