SET lock_timeout = '1s';
SET statement_timeout = '5s';
BEGIN;
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&);
COMMIT;
