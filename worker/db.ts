import { fillPlaceholders, type Query } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { drizzle } from "drizzle-orm/d1";
import * as schema from "../db/schema";

/**
 * `build(key)` made once per key and kept as long as the key lives: for what is built from a D1
 * binding or a Drizzle instance and holds no request or user state (the instance itself, prepared
 * statements).
 */
export function oncePer<K extends object, T>(build: (key: K) => T): (key: K) => T {
  const made = new WeakMap<K, T>();
  return (key) => {
    let value = made.get(key);
    if (value === undefined) {
      value = build(key);
      made.set(key, value);
    }
    return value;
  };
}

/**
 * One Drizzle instance per D1 binding. `drizzle(d1, { schema })` rebuilds the relational config of
 * the whole schema on every call, which cost more CPU than the queries of a typical request. The
 * instance holds no request or user state (no cache, no transaction), so sharing it is safe.
 */
export const getDb = oncePer((d1: D1Database) => drizzle(d1, { schema }));

export type Db = ReturnType<typeof getDb>;

export const newId = () => crypto.randomUUID();

/** What a batch needs of a prepared Drizzle query (`.prepare()`): its SQL and its row mapping. */
type PreparedQuery = { getQuery(): Query; mapResult(response: unknown, isFromBatch?: boolean): unknown };
/** A prepared Drizzle read (`select(...).prepare()`), whose `all()` answers `ReadResult`. */
export type PreparedRead<T = unknown> = PreparedQuery & { all(values?: Record<string, unknown>): Promise<T> };
export type ReadResult<Q> = Q extends PreparedRead<infer T> ? T : never;

/**
 * Runs prepared Drizzle queries (SQL built once, `sql.placeholder` values bound here) in ONE D1
 * batch: one round trip, one implicit transaction. Drizzle's own `db.batch` takes query builders,
 * whose SQL it rebuilds on every call. D1 answers a batch's rows as objects, so a query's columns
 * must have distinct names (no joined `id`s); each result is Drizzle's mapping of the rows.
 */
export function batchPrepared<const Reads extends readonly PreparedRead[]>(
  db: Db,
  reads: Reads,
  values: Record<string, unknown>,
): Promise<ReadResults<Reads>> {
  return writeThenRead(db, [], reads, values);
}

/** Each read's rows, in the order of the reads. */
export type ReadResults<Reads extends readonly PreparedRead[]> = { -readonly [K in keyof Reads]: ReadResult<Reads[K]> };

/**
 * Writes (Drizzle builders, whose SQL is built here as Drizzle's `db.batch` would) followed by
 * prepared reads (as `batchPrepared`), in ONE D1 batch: the reads see what the writes did, and
 * nothing is written unless every statement succeeds. Answers the reads' results.
 */
export async function writeThenRead<const Reads extends readonly PreparedRead[]>(
  db: Db,
  writes: readonly BatchItem<"sqlite">[],
  reads: Reads,
  values: Record<string, unknown>,
): Promise<ReadResults<Reads>> {
  const d1 = db.$client;
  const statements = [
    ...writes.map((write) => {
      const { sql, params } = (write as unknown as { toSQL(): Query }).toSQL();
      return d1.prepare(sql).bind(...params);
    }),
    ...reads.map((read) => {
      const { sql, params } = read.getQuery();
      return d1.prepare(sql).bind(...fillPlaceholders(params, values));
    }),
  ];
  const results = await d1.batch(statements);
  return results
    .slice(writes.length)
    .map((result, i) => (reads[i] as PreparedQuery).mapResult(result, true)) as ReadResults<Reads>;
}
