import autocannon from 'autocannon';

export interface HttpLoad {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  connections: number;
  /** Seconds. */
  duration: number;
  /** Requests per second over all connections; closed loop (as fast as answered) when absent. */
  overallRate?: number;
  /** Builds each request just before it is written (autocannon calls it then). */
  setupRequest?: (request: autocannon.Request, context: Record<string, unknown>) => autocannon.Request;
  /** Gets the context its connection's setupRequest saw (one request in flight per connection). */
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}

export interface HttpLoadResult {
  /** 2xx answers per second of the round. */
  okPerSecond: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
}

/** One round of HTTP load with autocannon, used programmatically. */
export async function runHttpLoad(load: HttpLoad): Promise<HttpLoadResult> {
  const result = await autocannon({
    url: load.url,
    connections: load.connections,
    duration: load.duration,
    pipelining: 1,
    timeout: 30,
    ...(load.overallRate ? { overallRate: load.overallRate } : {}),
    requests: [
      {
        method: load.method ?? 'GET',
        headers: load.headers ?? {},
        ...(load.setupRequest
          ? { setupRequest: (req: autocannon.Request, context: object) => load.setupRequest!(req, context as Record<string, unknown>) }
          : {}),
        ...(load.onResponse
          ? { onResponse: (status: number, body: string, context: object) => load.onResponse!(status, body, context as Record<string, unknown>) }
          : {}),
      },
    ],
  });
  return {
    okPerSecond: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
