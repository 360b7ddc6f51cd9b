import autocannon from 'autocannon';

/** One target of a scenario: where to send and what. */
export interface Target {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A fresh body per request (the login scenario rotates accounts). */
  body?: () => string;
  /** A fresh path and query per request (the search scenario rotates queries); `url` gives the first. */
  path?: () => string;
  /** Headers made anew per request (the checkout's Idempotency-Key), on top of `headers`. */
  freshHeaders?: () => Record<string, string>;
}

/** Responses collected over one or more runs against the same target. */
export interface Sample {
  latencies: number[];
  seconds: number;
  /** Responses outside 2xx, connection errors and timeouts: any of them voids the run. */
  failures: string[];
}

export interface Measurement {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

export function newSample(): Sample {
  return { latencies: [], seconds: 0, failures: [] };
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function summarize(sample: Sample): Measurement {
  const sorted = Float64Array.from(sample.latencies).sort();
  return {
    requests: sorted.length,
    seconds: sample.seconds,
    rps: sorted.length / sample.seconds,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
  };
}

/**
 * Drives `target` with autocannon for `seconds` over `connections` keep-alive connections and
 * adds every response's latency to `sample` (autocannon's own summary has no p95). Answers
 * this run's requests per second.
 */
export function load(target: Target, connections: number, seconds: number, sample: Sample): Promise<number> {
  const before = sample.latencies.length;
  const latencies = sample.latencies;
  const { pathname, search } = new URL(target.url);
  const { body, path, freshHeaders } = target;
  const request: autocannon.Request = {
    method: target.method ?? 'GET',
    path: pathname + search,
    headers: { ...target.headers, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body || path || freshHeaders
      ? {
          setupRequest: (req: autocannon.Request) => ({
            ...req,
            ...(body ? { body: body() } : {}),
            ...(path ? { path: path() } : {}),
            ...(freshHeaders ? { headers: { ...req.headers, ...freshHeaders() } } : {}),
          }),
        }
      : {}),
  };
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: target.url, connections, duration: seconds, requests: [request] },
      (error: unknown, result: autocannon.Result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        const failures = sample.failures;
        if (result.non2xx) {
          const codes = Object.entries(result.statusCodeStats ?? {}).filter(([code]) => !code.startsWith('2'));
          failures.push(`${result.non2xx} non-2xx (${codes.map(([c, s]) => `${c}×${s.count ?? 0}`).join(', ')})`);
        }
        if (result.errors) failures.push(`${result.errors} connection errors`);
        if (result.timeouts) failures.push(`${result.timeouts} timeouts`);
        sample.seconds += result.duration;
        resolve((latencies.length - before) / result.duration);
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
}
