-- The order search's trigram index needs pg_trgm: part of PostgreSQL's contrib, trusted (a
-- database owner may create it), and loaded into embedded PGlite by db/client.ts.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
