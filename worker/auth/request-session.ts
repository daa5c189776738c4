import type { Db, PreparedRead, ReadResults } from "../db";
import { readSession, type SessionResult } from "./session";

/**
 * The session of one request, read from D1 at most once, when first asked for.
 *
 * Pages read it before their loaders run (worker/index.ts). JSON API requests read it when a guard
 * first needs it, which lets a read-only handler that knows its query before it is authorized (a
 * list of the org in the URL) send that query in the same D1 batch as the session lookup: one round
 * trip instead of two (`withReads`, guards.ts `requireOrgPermissionWith`). Those rows are read
 * before the caller is known; the guard hands them over only once the caller passed.
 */
export class RequestSession {
  #read: Promise<SessionResult | null> | undefined;
  #resolved: SessionResult | null | undefined;

  constructor(
    private readonly db: Db,
    /** The session cookie's value, if the request sent one. */
    readonly token: string | null,
    private readonly options: { withReach: boolean },
  ) {
    if (!token) this.#resolved = null;
  }

  /** The session, once read (undefined until then; null when there is none or it is not valid). */
  get resolved(): SessionResult | null | undefined {
    return this.#resolved;
  }

  /** The request's session, read from D1 the first time only. */
  get(): Promise<SessionResult | null> {
    if (this.#resolved !== undefined) return Promise.resolve(this.#resolved);
    this.#read ??= this.#settle(readSession(this.db, this.token as string, Date.now(), this.options, []));
    return this.#read;
  }

  /**
   * The session, and `reads` in the same D1 batch when the session has not been read yet. The reads'
   * results are undefined when they could not ride along (the session was already read, or the
   * token is malformed); the caller then runs them itself, after authorizing.
   */
  async withReads<const Reads extends readonly PreparedRead[]>(
    reads: Reads,
  ): Promise<{ auth: SessionResult | null; reads: ReadResults<Reads> | undefined }> {
    if (this.#resolved !== undefined || this.#read) return { auth: await this.get(), reads: undefined };
    const both = readSession(this.db, this.token as string, Date.now(), this.options, reads);
    this.#read = this.#settle(both);
    const auth = await this.#read;
    return { auth, reads: (await both).along };
  }

  async #settle(read: Promise<{ auth: SessionResult | null }>) {
    const { auth } = await read;
    this.#resolved = auth;
    return auth;
  }
}
