/** The bench's HTTP client for the locally served Worker. */

/** Where `wrangler dev` listens: its dev proxy, which forwards to the Worker's own address. */
export const PORT = Number(process.env.BENCH_PORT ?? 8797);
export const PROXY_BASE = `http://127.0.0.1:${PORT}`;

let base = PROXY_BASE;
/** The origin every request and WebSocket of the bench goes to (and sends as its `Origin`). */
export const origin = () => base;
/** Talk to the Worker at `url` from now on (bench.ts: the Worker's own address, once wrangler reports it). */
export function setOrigin(url: string) {
  base = url.replace(/\/$/, "");
}

export type Answer<T> = { status: number; body: T };

/** A JSON call as a browser on the app's origin would make it (Origin header on every request). */
export async function call<T = unknown>(
  method: string,
  path: string,
  options: { cookie?: string; body?: unknown } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { Origin: origin() };
  if (options.cookie) headers.Cookie = options.cookie;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(`${origin()}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** Like `call`, but throws unless the status is the expected one. */
export async function expect<T = unknown>(
  status: number,
  method: string,
  path: string,
  options: { cookie?: string; body?: unknown } = {},
): Promise<T> {
  const answer = await call<T>(method, path, options);
  if (answer.status !== status) {
    throw new Error(`${method} ${path} answered ${answer.status}, not ${status}: ${JSON.stringify(answer.body)}`);
  }
  return answer.body;
}

export const cookieOf = (token: string) => `rt_session=${token}`;

/** Mints `count` users of `orgId` with `role`, each with a session (bench mode only). */
export async function mintSessions(orgId: string, role: string, count: number) {
  const { sessions } = await expect<{ sessions: { userId: string; token: string }[] }>(
    201,
    "POST",
    "/api/bench/sessions",
    { body: { orgId, role, count } },
  );
  return sessions;
}
