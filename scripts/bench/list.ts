/**
 * Authorization overhead: the same list (same service call, so the same D1 query) through the real
 * API route with a session (session lookup, org reach, permission) and through the bench-only bare
 * route with none, at the same concurrency, in alternating rounds so drift hits both alike.
 */
import { origin } from "./http";
import { type Summary, summarize } from "./stats";

export type ThroughputResult = Summary & { requests: number; seconds: number; rps: number };

async function hammer(path: string, headers: Record<string, string>, requests: number, concurrency: number) {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next++;
        const t0 = performance.now();
        const res = await fetch(`${origin()}${path}`, { headers });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
        times.push(performance.now() - t0);
      }
    }),
  );
  return { times, seconds: (performance.now() - started) / 1000 };
}

export async function compareList(options: {
  authorizedPath: string;
  barePath: string;
  cookie: string;
  requests: number;
  rounds: number;
  concurrency: number;
}) {
  const authorized = { times: [] as number[], seconds: 0 };
  const bare = { times: [] as number[], seconds: 0 };
  const auth = { Cookie: options.cookie };
  // Warm both paths (JIT, SQLite page cache) before measuring.
  await hammer(options.authorizedPath, auth, 200, options.concurrency);
  await hammer(options.barePath, {}, 200, options.concurrency);
  const roundRatios: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const a = await hammer(options.authorizedPath, auth, options.requests, options.concurrency);
    const b = await hammer(options.barePath, {}, options.requests, options.concurrency);
    // Throughput ratio of this round (same request count, so the inverse ratio of durations).
    roundRatios.push(Math.round((b.seconds / a.seconds) * 1000) / 1000);
    authorized.times.push(...a.times);
    authorized.seconds += a.seconds;
    bare.times.push(...b.times);
    bare.seconds += b.seconds;
  }
  const result = (run: { times: number[]; seconds: number }): ThroughputResult => ({
    ...summarize(run.times),
    requests: run.times.length,
    seconds: Math.round(run.seconds * 100) / 100,
    rps: Math.round(run.times.length / run.seconds),
  });
  const a = result(authorized);
  const b = result(bare);
  const sorted = [...roundRatios].sort((x, y) => x - y);
  const medianRoundRatio = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return { authorized: a, bare: b, ratio: Math.round((a.rps / b.rps) * 1000) / 1000, roundRatios, medianRoundRatio };
}
