import type { CompiledQuery, Kysely } from 'kysely';

/**
 * A query built and compiled once, then run with new values: on SQLite
 * Kysely's builder and compiler cost more than the query (a session lookup:
 * about 10 µs built each time, 3 µs prepared; tests/bench/RESULTS.md). For
 * hot reads only. `build` returns a query builder or an `sql` template, and receives stand-ins for the parameters, in order,
 * and must use each as a plain value (not inside an expression Kysely would
 * inline).
 */
export function prepare<DB, Args extends readonly unknown[], Row>(
  db: Kysely<DB>,
  arity: Args['length'],
  build: (...params: { [K in keyof Args]: Args[K] }) => { compile(executorProvider: Kysely<DB>): CompiledQuery<Row> },
): (...args: Args) => Promise<Row[]> {
  const standIns = Array.from({ length: arity }, (_, i) => `\u0000param-${i}\u0000`);
  const compiled: CompiledQuery<Row> = build(...(standIns as unknown as { [K in keyof Args]: Args[K] })).compile(db);
  const slots = compiled.parameters.map((p) => standIns.indexOf(p as string));
  if (standIns.some((_, i) => !slots.includes(i))) throw new Error('prepare: a parameter was not used as a value of the query');
  return async (...args) => {
    const parameters = compiled.parameters.map((p, i) => (slots[i]! >= 0 ? args[slots[i]!] : p));
    return (await db.executeQuery<Row>({ ...compiled, parameters })).rows;
  };
}
