import { drizzle } from "drizzle-orm/d1";
import * as schema from "../db/schema";

/**
 * One Drizzle instance per D1 binding. `drizzle(d1, { schema })` rebuilds the relational config of
 * the whole schema on every call, which cost more CPU than the queries of a typical request. The
 * instance holds no request or user state (no cache, no transaction), so sharing it is safe.
 */
const instances = new WeakMap<D1Database, ReturnType<typeof build>>();
const build = (d1: D1Database) => drizzle(d1, { schema });

export function getDb(d1: D1Database) {
  let db = instances.get(d1);
  if (!db) {
    db = build(d1);
    instances.set(d1, db);
  }
  return db;
}

export type Db = ReturnType<typeof getDb>;

export const newId = () => crypto.randomUUID();
