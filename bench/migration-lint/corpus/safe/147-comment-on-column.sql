COMMENT ON COLUMN users.email IS 'login address, unique per tenant';
