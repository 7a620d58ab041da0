import { describe, expect, it } from 'vitest';
import { parseRecords, RecordSplitter } from './csv-records';

/** Splits `text` fed in chunks of `size` characters, then parses it: [line, cells or error]. */
function read(text: string, size = 7) {
  const splitter = new RecordSplitter();
  const raw = [];
  for (let i = 0; i < text.length; i += size) raw.push(...splitter.push(text.slice(i, i + size)));
  raw.push(...splitter.end());
  return parseRecords(raw).map((r) => [r.line, r.error ? `! ${r.cells.join('')}` : r.cells.join('|')]);
}

describe('CSV records', () => {
  it.each([
    [
      'plain, LF and CRLF',
      'a,b\n1,2\r\n3,4\n',
      [
        [1, 'a|b'],
        [2, '1|2'],
        [3, '3|4'],
      ],
    ],
    [
      'no final newline',
      'a,b\n1,2',
      [
        [1, 'a|b'],
        [2, '1|2'],
      ],
    ],
    [
      'blank lines skipped but counted',
      'a,b\n\n1,2\n  \n3,4\n\n',
      [
        [1, 'a|b'],
        [3, '1|2'],
        [5, '3|4'],
      ],
    ],
    [
      'a quoted field over two lines',
      'a,b\n1,"x\ny"\n3,4\n',
      [
        [1, 'a|b'],
        [2, '1|x\ny'],
        [4, '3|4'],
      ],
    ],
    [
      'doubled quotes inside a quoted field',
      'a,b\n1,"24"" 显示器"\n3,4\n',
      [
        [1, 'a|b'],
        [2, '1|24" 显示器'],
        [3, '3|4'],
      ],
    ],
    [
      'a quoted comma and CRLF inside quotes',
      'a,b\r\n1,"x,\r\ny"\r\n3,4\r\n',
      [
        [1, 'a|b'],
        [2, '1|x,\r\ny'],
        [4, '3|4'],
      ],
    ],
    [
      'quotes in the middle of an unquoted field are kept',
      'a,b\n1,2026-11-05 "加急"\n3,4\n',
      [
        [1, 'a|b'],
        [2, '1|2026-11-05 "加急"'],
        [3, '3|4'],
      ],
    ],
  ])('%s', (_name, text, expected) => {
    expect(read(text)).toEqual(expected);
    expect(read(text, 1)).toEqual(expected);
    expect(read(text, 10_000)).toEqual(expected);
  });

  it('a stray quote costs its own line, never the rows after it', () => {
    const rows = read('a,b,c\nR1,x,ok\nR2,x,"24" 显示器"\nR3,x,ok\nR4,x,ok\nR5,x,ok\n');
    expect(rows.map(([line]) => line)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows[2]?.[1]).toMatch(/^! R2,x,"24" 显示器"$/);
    expect(rows.slice(3).map(([, cells]) => cells)).toEqual(['R3|x|ok', 'R4|x|ok', 'R5|x|ok']);
  });

  it('an unclosed quote is one rejected line; the lines after it are read', () => {
    const rows = read('a,b\nU1,"never closed\nU2,ok\nU3,ok\n');
    expect(rows).toEqual([
      [1, 'a|b'],
      [2, '! U1,"never closed'],
      [3, 'U2|ok'],
      [4, 'U3|ok'],
    ]);
  });

  it('after a row with an odd quote, quoted fields over two lines still read as one row each', () => {
    const text = 'a,b\n1,2026 "加急\n3,x\n4,"朝阳区\n建国路1号"\n5,x\n6,"海淀区\r\n中关村"\n7,x\n';
    const expected = [
      [1, 'a|b'],
      [2, '1|2026 "加急'],
      [3, '3|x'],
      [4, '4|朝阳区\n建国路1号'],
      [6, '5|x'],
      [7, '6|海淀区\r\n中关村'],
      [9, '7|x'],
    ];
    expect(read(text)).toEqual(expected);
    expect(read(text, 1)).toEqual(expected);
    expect(read(text, 10_000)).toEqual(expected);
  });

  it('an unclosed quote before a quoted field over two lines: only its own line is lost', () => {
    expect(read('a,b\nU1,"never closed\nU2,"x\ny"\nU3,ok\n')).toEqual([
      [1, 'a|b'],
      [2, '! U1,"never closed'],
      [3, 'U2|x\ny'],
      [5, 'U3|ok'],
    ]);
  });

  it('a lone quote inside an unquoted field reads as a quote, and the next rows still read', () => {
    expect(read('a,b\n1,2026 "加急\n3,4\n5,6\n')).toEqual([
      [1, 'a|b'],
      [2, '1|2026 "加急'],
      [3, '3|4'],
      [4, '5|6'],
    ]);
  });
});
