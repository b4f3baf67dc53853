/** The SQL databases Rapporteur stores in: SQLite (embedded, the default) or PostgreSQL (DATABASE_URL). */
export type Dialect = 'sqlite' | 'postgres';
