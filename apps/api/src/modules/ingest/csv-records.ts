// CSV text → records, one bad record costing only itself.
//
// Written here rather than left to csv-parse's own streaming because csv-parse (v5) fails a
// real input: with `skip_records_with_error`, a stray quote in one row of an Excel export
// (`R2,…,"24" 显示器"`) skipped that row AND every row after it, without a count or a
// reject (found by the stranger check). So records are cut here first — at a line end that
// is outside quotes (RFC 4180: a doubled quote toggles twice, so `""` changes nothing) — and
// csv-parse reads the cut records a block at a time; a record it cannot read is read again
// alone and rejected alone. A record that runs over several lines but does not read as one
// (an odd quote) is cut after its first line, and reading starts again outside quotes on the
// next, so the rows — and quoted multi-line fields — after a stray quote read as usual.
import { parse } from 'csv-parse/sync';

/** A record as text, with the physical line it starts on (1-based). */
export type RawRecord = { line: number; text: string };

/** A parsed record, or the reason it could not be read. */
export type CsvRecord =
  | { line: number; cells: string[]; error?: undefined }
  | { line: number; cells: string[]; error: string };

const QUOTE = 34;
const LF = 10;

/** Cuts decoded text into records as it arrives; `end()` returns the last one. */
export class RecordSplitter {
  private carry = '';
  private inQuotes = false;
  private scanned = 0;
  private newlines = 0;
  private line = 1;

  push(chunk: string): RawRecord[] {
    const text = this.carry + chunk;
    const out: RawRecord[] = [];
    let start = 0;
    for (let i = this.scanned; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) this.inQuotes = !this.inQuotes;
      else if (c === LF) {
        if (this.inQuotes) this.newlines++;
        else if (this.newlines > 0 && !readsAsOne(text.slice(start, i))) {
          // An odd quote ran this record over several lines and it does not read: its first
          // line is a record of its own, and reading starts again, outside quotes, on the next
          // line — else one stray quote would shift every quoted field after it.
          const firstEnd = text.indexOf('\n', start);
          this.newlines = 0;
          this.emit(out, text.slice(start, firstEnd));
          start = firstEnd + 1;
          i = firstEnd;
        } else {
          this.emit(out, text.slice(start, i));
          start = i + 1;
        }
      }
    }
    this.carry = text.slice(start);
    this.scanned = this.carry.length;
    return out;
  }

  /** The physical line the next character pushed will be on. */
  get nextLine(): number {
    let n = this.line;
    for (let i = this.carry.indexOf('\n'); i >= 0; i = this.carry.indexOf('\n', i + 1)) n++;
    return n;
  }

  end(): RawRecord[] {
    const out: RawRecord[] = [];
    const rest = this.carry;
    this.carry = '';
    this.scanned = 0;
    this.inQuotes = false;
    if (rest.length === 0) return out;
    const firstEnd = rest.indexOf('\n');
    if (this.newlines > 0 && firstEnd >= 0 && !readsAsOne(rest)) {
      // An unclosed quote ran to the end of the file: its first line alone, then the rest again.
      this.newlines = 0;
      this.emit(out, rest.slice(0, firstEnd));
      out.push(...this.push(rest.slice(firstEnd + 1)), ...this.end());
      return out;
    }
    this.emit(out, rest);
    return out;
  }

  private emit(out: RawRecord[], raw: string) {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const lines = this.newlines + 1;
    // Blank lines are skipped (Excel leaves them at the end), but they still count as lines.
    if (text.trim().length > 0) out.push({ line: this.line, text });
    this.line += lines;
    this.newlines = 0;
  }
}

const OPTIONS = { relax_column_count: true, relax_quotes: true, trim: true, skip_empty_lines: false } as const;

function parseOne(text: string): { cells: string[] } | { error: string } {
  try {
    const rows = parse(text, OPTIONS) as string[][];
    if (rows.length !== 1) return { error: `reads as ${rows.length} records` };
    return { cells: rows[0] as string[] };
  } catch (e) {
    // csv-parse counts lines inside the record; the caller reports the file's line.
    return { error: (e instanceof Error ? e.message : String(e)).replace(/ at line \d+$/, '') };
  }
}

const readsAsOne = (text: string) => 'cells' in parseOne(text.endsWith('\r') ? text.slice(0, -1) : text);

/** Parses records a block at a time; a block that fails is parsed record by record. */
export function parseRecords(records: RawRecord[]): CsvRecord[] {
  if (records.length === 0) return [];
  try {
    const rows = parse(records.map((r) => r.text).join('\n'), OPTIONS) as string[][];
    if (rows.length === records.length)
      return rows.map((cells, i) => ({ line: (records[i] as RawRecord).line, cells }));
  } catch {
    // Some record in the block is malformed: find it below.
  }
  const out: CsvRecord[] = [];
  for (const r of records) {
    const one = parseOne(r.text);
    // A record spanning lines always reads alone (the splitter only cuts such a record when
    // it does), so what fails here is one line.
    out.push('cells' in one ? { line: r.line, cells: one.cells } : { line: r.line, cells: [r.text], error: one.error });
  }
  return out;
}
