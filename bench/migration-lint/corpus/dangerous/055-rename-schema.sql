-- every schema-qualified query in deployed code breaks
ALTER SCHEMA billing RENAME TO invoicing;
