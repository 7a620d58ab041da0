// CSV import: streams the file (UTF-8 with or without BOM, or GBK/GB18030 from Chinese
// Excel), maps Chinese or English headers, feeds batches to the same ingestion code as
// the HTTP endpoints and writes rejected rows, with the reason, to <file>.rejects.csv.

import { once } from 'node:events';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  openSync,
  readSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { runsConcurrentTransactions } from '@crm/db';
import { stringify } from 'csv-stringify';
import iconv from 'iconv-lite';
import type { AppDeps } from '../../deps';
import { batchPipeline, type WriteOrder } from './batch-pipeline';
import { detectEncoding, type ImportKind, mapHeaders, toItem } from './csv-columns.rules';
import { type CsvRecord, parseRecords, RecordSplitter } from './csv-records';
import { importCustomers } from './customers-import.service';
import { tenantContext } from './ingest.repo';
import { INGESTERS, type PreparedBatch, prepareBatch } from './ingest.service';
import type { Rejection } from './ingest-items.rules';

export type CsvEncoding = 'auto' | 'utf8' | 'gbk' | 'gb18030';

export type ImportOptions = {
  kind: ImportKind;
  file: string;
  tenantId: string;
  encoding?: CsvEncoding;
  batchSize?: number;
  /** Called with bytes read so far and the file size (the CLI draws its progress bar with it). */
  onProgress?: (bytes: number, total: number) => void;
};

export type ImportSummary = {
  kind: ImportKind;
  file: string;
  encoding: 'utf8' | 'gb18030';
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rejectsFile: string | null;
  ignoredColumns: string[];
  seconds: number;
  rowsPerSecond: number;
};

export const rejectsPathOf = (file: string) => join(dirname(file), `${basename(file, extname(file))}.rejects.csv`);

function sniff(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * UTF-8 or GB18030 for the whole file. The first 64 KB decide unless they are plain ASCII
 * (English headers and numbers look the same in both): then the whole file is checked, or a
 * GBK file whose first Chinese character comes late was read as UTF-8 and stored as �.
 */
async function detectFileEncoding(file: string): Promise<'utf8' | 'gb18030'> {
  const sample = sniff(file);
  const guess = detectEncoding(sample);
  if (guess !== 'utf8' || sample.length < 64 * 1024 || !sample.every((b) => b < 0x80)) return guess;
  // The first non-ASCII character decides: invalid UTF-8 there is GBK; valid UTF-8 there makes
  // it a UTF-8 file, and a bad byte further on then stops the import naming its line instead
  // of turning all its Chinese into GBK nonsense.
  const check = new TextDecoder('utf-8', { fatal: true });
  const nonAscii = /[\u0080-\uffff]/;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    try {
      if (nonAscii.test(check.decode(chunk, { stream: true }))) return 'utf8';
    } catch {
      const text = new TextDecoder('utf-8').decode(chunk);
      const bad = text.indexOf('\uFFFD');
      return nonAscii.test(text.slice(0, Math.max(bad, 0))) ? 'utf8' : 'gb18030';
    }
  }
  return 'utf8';
}

/** Decodes chunk by chunk (a character may be cut between chunks); no chunk = the end. */
function textDecoder(encoding: 'utf8' | 'gb18030'): (chunk?: Buffer) => string {
  if (encoding === 'utf8') {
    // fatal: bytes that are not UTF-8 stop the import instead of becoming U+FFFD in the data.
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    return (chunk) => (chunk ? utf8.decode(chunk, { stream: true }) : utf8.decode());
  }
  const gb = iconv.getDecoder('gb18030');
  return (chunk) => (chunk ? gb.write(chunk) : (gb.end() ?? ''));
}

/** A CSV record on its way to ingestion, or a malformed one (reported with its batch, in line order). */
type Pending =
  | { line: number; cells: string[]; item: Record<string, unknown>; malformed?: undefined }
  | { line: number; cells: string[]; item?: undefined; malformed: string };

/** Rows per ingestion batch: one transaction and a fixed handful of statements each. */
export const CSV_BATCH_SIZE = 5000;

export async function importCsv(
  deps: Pick<AppDeps, 'db' | 'clock' | 'logger'>,
  opts: ImportOptions,
): Promise<ImportSummary> {
  const started = performance.now();
  const total = statSync(opts.file).size;
  const encoding =
    !opts.encoding || opts.encoding === 'auto'
      ? await detectFileEncoding(opts.file)
      : opts.encoding === 'utf8'
        ? 'utf8'
        : 'gb18030';
  const batchSize = opts.batchSize ?? CSV_BATCH_SIZE;
  const rejectsFile = rejectsPathOf(opts.file);
  if (existsSync(rejectsFile)) unlinkSync(rejectsFile);

  const counts = { rows: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
  let headers: string[] = [];
  let fields: (string | null)[] = [];
  let ignoredColumns: string[] = [];
  let rejects: ReturnType<typeof stringify> | null = null;
  let rejectsOut: ReturnType<typeof createWriteStream> | null = null;

  const reject = async (line: number, cells: string[], reason: string) => {
    counts.rejected++;
    if (!rejects) {
      rejectsOut = createWriteStream(rejectsFile);
      // A BOM so Excel opens the Chinese text as UTF-8.
      rejectsOut.write('\uFEFF');
      rejects = stringify({
        header: true,
        columns: [
          ...headers.map((h, i) => ({ key: String(i), header: h })),
          { key: 'line', header: 'line' },
          { key: 'reason', header: 'reason' },
        ],
      });
      rejects.pipe(rejectsOut);
    }
    const record: Record<string, string | number> = { line, reason };
    cells.forEach((c, i) => {
      record[String(i)] = c;
    });
    if (!rejects.write(record)) await once(rejects, 'drain');
  };

  // Store rules after each committed order batch run in the background, in order, on their
  // own connection, while the next batch is parsed and written; at most two batches behind.
  let rules: Promise<void> = Promise.resolve();
  let rulesQueued = 0;
  const afterCommit = (work: () => Promise<void>) => {
    rulesQueued++;
    rules = rules.then(work).finally(() => {
      rulesQueued--;
    });
  };

  const tenant = opts.kind === 'customers' ? null : await tenantContext(deps.db, opts.tenantId);
  /** A parsed batch, validated at once: the CPU work overlaps the previous batch's writes. */
  const prepare = (batch: Pending[]) => {
    const good = batch.filter((p) => p.item !== undefined);
    const items = good.map((p) => p.item as Record<string, unknown>);
    const prepared: PreparedBatch | undefined =
      opts.kind === 'customers' || !tenant || items.length === 0
        ? undefined
        : prepareBatch(opts.kind, items, tenant, deps.clock.now());
    return { batch, good, items, prepared };
  };

  type Outcome = { inserted: number; updated: number; unchanged: number; rejected: Rejection[] };
  type Ready = ReturnType<typeof prepare>;

  const write = async ({ items, prepared }: Ready, order: WriteOrder) => {
    if (rulesQueued >= 2) await rules;
    if (items.length === 0) return { inserted: 0, updated: 0, unchanged: 0, rejected: [] } as Outcome;
    if (opts.kind === 'customers') return (await importCustomers(deps, opts.tenantId, items)) as Outcome;
    return INGESTERS[opts.kind](deps, opts.tenantId, items, { afterCommit, prepared, ...order });
  };

  /** Counts and rejected rows of a written batch; called in file order. */
  const report = async ({ batch, good }: Ready, r: Outcome) => {
    counts.inserted += r.inserted;
    counts.updated += r.updated;
    counts.unchanged += r.unchanged;
    const reasons = new Map<Pending, string>();
    for (const p of batch) if (p.malformed !== undefined) reasons.set(p, `MALFORMED_ROW: ${p.malformed}`);
    for (const x of r.rejected) {
      const p = good[x.index];
      const later = x.supersededBy === undefined ? undefined : good[x.supersededBy];
      // Batch indexes mean nothing to whoever reads the rejects file: name the later line.
      const message = later
        ? `externalId "${x.externalId}" appears again on line ${later.line}; the later row is kept`
        : x.message;
      if (p) reasons.set(p, `${x.code}: ${message}`);
    }
    for (const p of batch) {
      const reason = reasons.get(p);
      if (reason !== undefined) await reject(p.line, p.cells, reason);
    }
  };

  // Order batches are written two at a time (batch-pipeline.ts keeps their rows in file order;
  // the rollups lock customers before summing, so a batch never misses another's committed
  // orders). Not when orders create customers: two open batches could both create the same
  // new customer. Other kinds one at a time: their promise closing reads chats in the
  // statement's snapshot. And not on PGlite, one session for everything.
  const overlap =
    opts.kind === 'orders' &&
    tenant !== null &&
    !tenant.createCustomersFromOrders &&
    runsConcurrentTransactions(deps.db)
      ? 2
      : 1;
  const pipeline = batchPipeline<Ready, Outcome>({ overlap, write, report });
  const submit = async (batch: Pending[]) => {
    if (batch.length > 0) await pipeline.submit(prepare(batch));
  };

  let batch: Pending[] = [];
  const take = async (records: CsvRecord[]) => {
    for (const r of records) {
      if (fields.length === 0) {
        headers = r.cells;
        const mapped = mapHeaders(opts.kind, headers);
        fields = mapped.fields;
        ignoredColumns = mapped.ignored;
        continue;
      }
      counts.rows++;
      if (r.error !== undefined) {
        batch.push({ line: r.line, cells: r.cells, malformed: r.error });
      } else {
        const named: Record<string, string> = {};
        for (let i = 0; i < r.cells.length; i++) {
          const f = fields[i];
          const cell = r.cells[i];
          if (f && cell) named[f] = cell;
        }
        batch.push({ line: r.line, cells: r.cells, item: toItem(opts.kind, named) });
      }
      if (batch.length >= batchSize) {
        await submit(batch);
        batch = [];
      }
    }
  };

  const decoder = textDecoder(encoding);
  const splitter = new RecordSplitter();
  const decode = (chunk?: Buffer) => {
    try {
      return decoder(chunk);
    } catch {
      // Where in this chunk: the lines before its first undecodable byte.
      const text = chunk ? new TextDecoder('utf-8').decode(chunk) : '';
      const bad = text.indexOf('\uFFFD');
      const line = splitter.nextLine + (text.slice(0, Math.max(bad, 0)).match(/\n/g)?.length ?? 0);
      throw new Error(
        `${opts.file} is not valid UTF-8 (line ${line}): a file saved by Chinese Excel is GBK — run the import again with --encoding gbk`,
      );
    }
  };
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(opts.file) as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      opts.onProgress?.(bytes, total);
      await take(parseRecords(splitter.push(decode(chunk))));
    }
    await take(parseRecords([...splitter.push(decode()), ...splitter.end()]));
    await submit(batch);
    await pipeline.drain();
  } finally {
    // Also when the import stops: the batches already sent finish, and the rejects file is
    // complete for every row reported so far.
    await pipeline.drain().catch(() => {});
    await rules;
    if (rejects) {
      const r = rejects as ReturnType<typeof stringify>;
      r.end();
      await once(rejectsOut as unknown as NodeJS.EventEmitter, 'finish');
    }
  }
  if (fields.length === 0) throw new Error(`${opts.file} is empty: no header row`);
  const seconds = (performance.now() - started) / 1000;
  return {
    kind: opts.kind,
    file: opts.file,
    encoding,
    ...counts,
    rejectsFile: counts.rejected > 0 ? rejectsFile : null,
    ignoredColumns,
    seconds: Math.round(seconds * 1000) / 1000,
    rowsPerSecond: Math.round(counts.rows / Math.max(seconds, 0.001)),
  };
}
