// Batches written with up to `overlap` in flight, for the CSV import: while one batch sums its
// customers' figures and commits, the next resolves its customers and writes its rows, so the
// database is never idle waiting for this process and can use a second core.
//
// Two orders are kept whatever the overlap:
// - each write's critical section (from its `beforeWrite` to its `afterWrite`: the upsert of
//   its rows) starts only after the previous batch's section ended, so rows are written in
//   file order — and a row the two batches share then waits for the earlier one's commit on
//   its row lock, so the later row of an externalId still wins;
// - results are reported (counted, rejected rows written out) in submission order.

export type WriteOrder = {
  /** Resolves once the previous batch's rows are written. */
  beforeWrite: () => Promise<void>;
  /** This batch's rows are written (called at most once; also released if the write fails). */
  afterWrite: () => void;
};

export type BatchPipeline<B> = {
  /** Waits for a free slot, then starts the batch; throws the first failure of any batch. */
  submit: (batch: B) => Promise<void>;
  /** Waits for every started batch; throws the first failure. */
  drain: () => Promise<void>;
};

export function batchPipeline<B, R>(opts: {
  overlap: number;
  write: (batch: B, order: WriteOrder) => Promise<R>;
  report: (batch: B, result: R) => Promise<void>;
}): BatchPipeline<B> {
  const running = new Set<Promise<void>>();
  let rowsWritten: Promise<void> = Promise.resolve();
  let reported: Promise<void> = Promise.resolve();
  let failure: { error: unknown } | null = null;

  const submit = async (batch: B) => {
    while (running.size >= Math.max(1, opts.overlap)) await Promise.race(running).catch(() => {});
    if (failure) throw failure.error;
    const previousRows = rowsWritten;
    let release = () => {};
    rowsWritten = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previousReport = reported;
    const done = (async () => {
      let result: R;
      try {
        result = await opts.write(batch, { beforeWrite: () => previousRows, afterWrite: release });
      } finally {
        release();
      }
      // A batch that committed is counted even if an earlier one failed (the import still fails).
      await previousReport;
      await opts.report(batch, result);
    })();
    // The next batch is reported after this one, whether this one succeeded or not.
    reported = done.catch(() => {});
    running.add(done);
    done.then(
      () => running.delete(done),
      (error) => {
        failure ??= { error };
        running.delete(done);
      },
    );
  };

  const drain = async () => {
    await Promise.allSettled([...running]);
    if (failure) throw failure.error;
  };

  return { submit, drain };
}
