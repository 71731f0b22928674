-- Django-style unique index on an expression, built with a SHARE lock
CREATE UNIQUE INDEX users_email_lower_uniq ON users (lower(email));
