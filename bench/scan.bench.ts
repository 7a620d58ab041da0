// Scan benchmarks: card-reader throughput on one core, and POST /api/scan with an
// existing match in the big tenant (p99 at 50 concurrent connections).
import { readCard } from '../packages/domain/src/card/read-card';
import { type BenchRow, loadTest } from './lib';
import type { BenchCase, BenchEnv } from './types';

const FAMILY = '张王李赵陈杨黄周吴徐孙马朱胡郭何高林罗郑';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平';

/** A typical printed-card vCard 3.0: CRLF, N/FN/ORG with a department/TITLE/2×TEL/EMAIL/ADR/URL, one fold. */
export function typicalVcard30(i: number, mobile = `138${String(i % 100_000_000).padStart(8, '0')}`): string {
  const f = FAMILY[i % FAMILY.length] as string;
  const g = (GIVEN[i % GIVEN.length] as string) + (i % 3 ? (GIVEN[(i * 7) % GIVEN.length] as string) : '');
  return [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `N:${f};${g};;;`,
    `FN:${f}${g}`,
    `ORG:上海示例${i % 97}贸易有限公司;华东销售部`,
    'TITLE:区域销售经理',
    `TEL;TYPE=CELL,VOICE:+86 ${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}`,
    `TEL;TYPE=WORK,VOICE:021-6000 ${String(1000 + (i % 9000))}`,
    `EMAIL;TYPE=INTERNET,WORK:user${i}@example.cn`,
    'ADR;TYPE=WORK:;;浦东新区示例路1号\\, 20楼;上海市;上海市;200120;中',
    ' 国',
    'URL:www.example.cn',
    'END:VCARD',
    '',
  ].join('\r\n');
}

/**
 * Cards read per second on one core. Measured against this process's CPU time
 * (process.cpuUsage), not the wall clock, so other work on a shared machine does not
 * distort it; GC helper threads count against us, which errs on the safe side.
 */
export async function benchScanReader(opts: { seconds?: number; cards?: number } = {}): Promise<{
  cardsPerSecond: number;
  wallCardsPerSecond: number;
  cards: number;
  cpuMs: number;
}> {
  const payloads = Array.from({ length: opts.cards ?? 500 }, (_, i) => typicalVcard30(i + 1));
  for (let i = 0; i < 5_000; i++) readCard(payloads[i % payloads.length] as string);
  const budgetUs = (opts.seconds ?? 3) * 1e6;
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  let n = 0;
  let cpuUs = 0;
  while (cpuUs < budgetUs) {
    for (let k = 0; k < 200; k++) {
      const r = readCard(payloads[n % payloads.length] as string);
      if (!r.ok) throw new Error('bench card unreadable');
      n++;
    }
    const d = process.cpuUsage(cpu0);
    cpuUs = d.user + d.system;
  }
  const wallS = Number(process.hrtime.bigint() - wall0) / 1e9;
  return {
    cardsPerSecond: Math.round(n / (cpuUs / 1e6)),
    wallCardsPerSecond: Math.round(n / wallS),
    cards: n,
    cpuMs: Math.round(cpuUs / 1000),
  };
}

/** The numbers of the scan benchmark that need no database. */
export async function benchScan(): Promise<{ reader: { cardsPerSecond: number; wallCardsPerSecond: number } }> {
  const { cardsPerSecond, wallCardsPerSecond } = await benchScanReader();
  return { reader: { cardsPerSecond, wallCardsPerSecond } };
}

/** POST /api/scan with cards of existing customers (the builder gives customer g the mobile 138 + g). */
export async function benchScanHttp(env: BenchEnv, connections = 50): Promise<BenchRow> {
  const n = Math.max(1, env.scale.customers);
  const requests = Array.from({ length: 2_000 }, (_, i) => {
    const g = 1 + ((i * 7919) % n);
    return {
      method: 'POST' as const,
      path: '/api/scan',
      body: JSON.stringify({ payload: typicalVcard30(g, `138${String(g).padStart(8, '0')}`) }),
    };
  });
  env.serverTimes.reset();
  const r = await loadTest({
    url: env.url,
    method: 'POST',
    headers: { authorization: `Bearer ${env.token}` },
    requests,
    connections,
    durationSeconds: env.duration,
  });
  const serverP99 = env.serverTimes.percentile(0.99);
  const server = serverP99 === undefined ? '' : `server-side p99 ${serverP99.toFixed(1)} ms; `;
  return {
    name: `POST /api/scan existing match (${n} customers, ${connections} conn)`,
    ...r,
    ratio: r.rps / env.baselineRps,
    note: r.non2xx || r.errors ? `non2xx ${r.non2xx}, errors ${r.errors}` : `${server}target p99 ≤ 10 ms at 50 conn`,
  };
}

export const cases: BenchCase[] = [
  {
    name: 'card reader: typical vCard 3.0 (one core)',
    run: async () => {
      const r = await benchScanReader();
      return {
        name: 'card reader: vCard 3.0, one core (CPU time)',
        value: r.cardsPerSecond,
        unit: 'cards/s',
        note: `target ≥ 20000; wall clock ${r.wallCardsPerSecond}/s`,
      };
    },
  },
  {
    name: 'POST /api/scan existing match',
    // The target is at 50 connections; 10 shows how the latency follows the load on this machine.
    run: async (env) => [await benchScanHttp(env, 10), await benchScanHttp(env, 50)],
  },
];
