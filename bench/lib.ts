import autocannon from 'autocannon';

/** One line of the report. Ratios are against the bare-Fastify baseline of the same run. */
export type BenchRow = {
  name: string;
  rps?: number;
  p50Ms?: number;
  p99Ms?: number;
  ratio?: number;
  value?: number;
  unit?: string;
  note?: string;
};

export type HttpLoad = {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections?: number;
  durationSeconds?: number;
  /** Rotate through several requests (e.g. different customers). */
  requests?: { method?: 'GET' | 'POST'; path: string; body?: string }[];
};

export async function loadTest(
  load: HttpLoad,
): Promise<{ rps: number; p50Ms: number; p99Ms: number; errors: number; non2xx: number }> {
  const result = await autocannon({
    url: load.url,
    method: load.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(load.headers ?? {}) },
    body: load.body,
    connections: load.connections ?? 50,
    duration: load.durationSeconds ?? 5,
    requests: load.requests?.map((r) => ({ method: r.method ?? 'GET', path: r.path, body: r.body })),
  });
  return {
    rps: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

export function timeIt<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = process.hrtime.bigint();
  return fn().then((result) => ({ ms: Number(process.hrtime.bigint() - start) / 1e6, result }));
}

export function printTable(rows: BenchRow[]) {
  const head = ['benchmark', 'rps', 'p50 ms', 'p99 ms', 'ratio', 'value', 'note'];
  const body = rows.map((r) => [
    r.name,
    r.rps?.toString() ?? '',
    r.p50Ms?.toFixed(1) ?? '',
    r.p99Ms?.toFixed(1) ?? '',
    r.ratio !== undefined ? r.ratio.toFixed(3) : '',
    r.value !== undefined ? `${Number.isInteger(r.value) ? r.value : r.value.toFixed(2)} ${r.unit ?? ''}` : '',
    r.note ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}
