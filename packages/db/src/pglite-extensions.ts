import { btree_gin } from "@electric-sql/pglite/contrib/btree_gin";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

/**
 * The extensions the migrations create (drizzle/0012: trigram search over the inbox, with the
 * tenant leading the GIN index). A PostgreSQL server ships them as contrib; PGlite loads each
 * one's bundle only when asked, so every PGlite this project opens passes these.
 */
export const pgliteExtensions = { pg_trgm, btree_gin };
