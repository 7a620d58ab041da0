import { resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { ImportKind } from '../modules/ingest/csv-columns.rules';
import { CSV_BATCH_SIZE, type CsvEncoding, importCsv } from '../modules/ingest/csv-import.service';
import { tenantBySlug } from '../modules/tenants/tenants.service';
import { printResult, withCli } from './context';

const KINDS = ['orders', 'tickets', 'chats', 'customers'];
const ENCODINGS = ['auto', 'utf8', 'utf-8', 'gbk', 'gb18030'];

// `import <orders|tickets|chats|customers> <file.csv> --tenant <slug>`: the same ingestion
// code as POST /api/ingest/*. Progress on stderr; counts as JSON on the last stdout line.
export function registerImportCommands(program: Command) {
  program
    .command('import <kind> <file>')
    .description('import orders, tickets, chats or customers from a CSV file (Chinese or English headers)')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .option('--encoding <enc>', 'auto | utf8 | gbk (auto: UTF-8 with or without BOM, else GBK)', 'auto')
    .option('--batch <n>', 'rows per transaction', String(CSV_BATCH_SIZE))
    .action(async (kind: string, file: string, o: { tenant: string; encoding: string; batch: string }) => {
      if (!KINDS.includes(kind)) {
        console.error(`Error: kind must be one of ${KINDS.join(', ')} (got "${kind}")`);
        process.exitCode = 1;
        return;
      }
      const enc = o.encoding.toLowerCase();
      if (!ENCODINGS.includes(enc)) {
        console.error(`Error: --encoding must be one of auto, utf8, gbk (got "${o.encoding}")`);
        process.exitCode = 1;
        return;
      }
      const batchSize = Number(o.batch);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
        console.error(`Error: --batch must be a whole number from 1 to 10000 (got "${o.batch}")`);
        process.exitCode = 1;
        return;
      }
      const bar = new SingleBar({
        stream: process.stderr,
        format: 'importing {bar} {percentage}% | {value}/{total} KiB | ETA {eta}s',
        hideCursor: true,
      });
      const result = await withCli(async (deps) => {
        const tenant = await tenantBySlug(deps.db, o.tenant);
        let started = false;
        try {
          return await importCsv(deps, {
            kind: kind as ImportKind,
            file: resolve(file),
            tenantId: tenant.tenantId,
            encoding: (enc === 'utf-8' ? 'utf8' : enc) as CsvEncoding,
            batchSize,
            onProgress: (bytes, total) => {
              if (!started) {
                bar.start(Math.max(1, Math.ceil(total / 1024)), 0);
                started = true;
              }
              bar.update(Math.ceil(bytes / 1024));
            },
          });
        } finally {
          if (started) bar.stop();
        }
      });
      if (result) {
        if (result.rejectsFile)
          console.error(`${result.rejected} rejected rows, with the reason, in ${result.rejectsFile}`);
        printResult(result);
      }
    });
}
