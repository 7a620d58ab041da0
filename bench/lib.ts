import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const LOADGEN = join(dirname(fileURLToPath(import.meta.url)), 'loadgen.mjs');

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

export type LoadResult = { rps: number; p50Ms: number; p99Ms: number; errors: number; non2xx: number };

/**
 * Runs autocannon in a child process (bench/loadgen.mjs): in this process it would take
 * event-loop time from the server under test and distort every figure.
 */
export async function loadTest(load: HttpLoad): Promise<LoadResult> {
  const config = {
    url: load.url,
    method: load.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(load.headers ?? {}) },
    body: load.body,
    connections: load.connections ?? 50,
    duration: load.durationSeconds ?? 5,
    requests: load.requests?.map((r) => ({ method: r.method ?? 'GET', path: r.path, body: r.body })),
  };
  const child = spawn(process.execPath, [LOADGEN], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    out += d;
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
  child.stdin.end(JSON.stringify(config));
  const code = await exited;
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop() as string) as LoadResult;
}

/** Latencies as the server sees them (request received → response sent), next to the client's. */
export type ServerTimes = { reset(): void; percentile(p: number): number | undefined };

export function recordServerTimes(app: FastifyInstance): ServerTimes {
  let times: number[] = [];
  app.addHook('onResponse', async (_request, reply) => {
    times.push(reply.elapsedTime);
  });
  return {
    reset() {
      times = [];
    },
    percentile(p) {
      if (times.length === 0) return undefined;
      const sorted = [...times].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
    },
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
