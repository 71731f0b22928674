-- removing a column the running release still selects
ALTER TABLE "users" DROP COLUMN "legacy_flag" CASCADE;
