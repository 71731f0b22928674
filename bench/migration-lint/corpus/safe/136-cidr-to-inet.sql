-- cidr to inet is binary-coercible; hosts.network is cidr
ALTER TABLE hosts ALTER COLUMN network TYPE inet;
