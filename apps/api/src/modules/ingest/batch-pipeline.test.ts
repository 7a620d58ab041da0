import { describe, expect, it } from 'vitest';
import { batchPipeline, type WriteOrder } from './batch-pipeline';

/** A promise resolved from outside, to script which batch is slow. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { open, opened };
}
const tick = () => new Promise((r) => setImmediate(r));

type Script = { before?: Promise<void>; rows?: Promise<void>; after?: Promise<void>; fail?: string };

function recorder(overlap: number, scripts: Record<string, Script>) {
  const log: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const write = async (name: string, order: WriteOrder) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const s = scripts[name] ?? {};
      await s.before; // resolving customers …
      await order.beforeWrite();
      log.push(`${name}:rows`);
      await s.rows;
      if (s.fail) throw new Error(s.fail);
      log.push(`${name}:rows-done`);
      order.afterWrite();
      await s.after; // rollups, commit …
      return name.toUpperCase();
    } finally {
      inFlight--;
    }
  };
  const report = async (name: string, result: string) => {
    log.push(`report ${name}=${result}`);
  };
  return { log, pipeline: batchPipeline({ overlap, write, report }), max: () => maxInFlight };
}

describe('batch pipeline', () => {
  it('writes rows in submission order even when the earlier batch is slower to get there', async () => {
    const slowA = gate();
    const r = recorder(2, { a: { before: slowA.opened } });
    await r.pipeline.submit('a');
    await r.pipeline.submit('b');
    await tick();
    expect(r.log).toEqual([]); // b is ready but waits for a's rows
    slowA.open();
    await r.pipeline.drain();
    expect(r.log).toEqual(['a:rows', 'a:rows-done', 'b:rows', 'b:rows-done', 'report a=A', 'report b=B']);
  });

  it('overlaps the next batch’s rows with the earlier batch’s commit, and reports in order', async () => {
    const commitA = gate();
    const r = recorder(2, { a: { after: commitA.opened } });
    await r.pipeline.submit('a');
    await r.pipeline.submit('b');
    await tick();
    // b wrote its rows and finished while a was still committing; b's report waits for a's.
    expect(r.log).toEqual(['a:rows', 'a:rows-done', 'b:rows', 'b:rows-done']);
    commitA.open();
    await r.pipeline.drain();
    expect(r.log.slice(4)).toEqual(['report a=A', 'report b=B']);
  });

  it.each([1, 2, 3])('never has more than %i batches in flight', async (overlap) => {
    const slow = gate();
    const scripts = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((n) => [n, { after: slow.opened }]));
    const r = recorder(overlap, scripts);
    const submitted = (async () => {
      for (const n of ['a', 'b', 'c', 'd', 'e']) await r.pipeline.submit(n);
    })();
    await tick();
    slow.open();
    await submitted;
    await r.pipeline.drain();
    expect(r.max()).toBe(overlap);
    expect(r.log.filter((l) => l.startsWith('report'))).toEqual(
      ['a', 'b', 'c', 'd', 'e'].map((n) => `report ${n}=${n.toUpperCase()}`),
    );
  });

  it('a failed batch releases the next one’s rows, fails the next submit and the drain; the batch that committed is still reported', async () => {
    const rowsA = gate();
    const r = recorder(2, { a: { rows: rowsA.opened, fail: 'deadlock detected' } });
    await r.pipeline.submit('a');
    await r.pipeline.submit('b');
    rowsA.open();
    await expect(r.pipeline.submit('c')).rejects.toThrow('deadlock detected');
    await expect(r.pipeline.drain()).rejects.toThrow('deadlock detected');
    expect(r.log).toEqual(['a:rows', 'b:rows', 'b:rows-done', 'report b=B']);
  });
});
