import { describe, expect, it } from 'vitest';
import { inspectCsv } from '../../src/inspect/table/csv.ts';
import { describeHeaderRows, locateHeader } from '../../src/inspect/table/header-rows.ts';

const rows = (errs: { row: number | null; field: number | null; type: string }[]) => errs.map((e) => [e.row, e.field, e.type]);

describe('inspectCsv', () => {
  it('reads an AsyncIterable in small chunks with the same result as a string', async () => {
    const text = 'id,名稱,值\n1,"多行\r\n內容",3\n2,乙\n\n3,丙,4,5\n';
    async function* chunks() {
      for (let i = 0; i < text.length; i += 3) yield text.slice(i, i + 3);
    }
    const whole = await inspectCsv(text);
    const streamed = await inspectCsv(chunks());
    expect(streamed).toEqual(whole);
    expect(rows(whole.errors)).toEqual([[3, 3, 'missing-cell'], [4, null, 'blank-row'], [5, 4, 'extra-cell']]);
    expect(whole.rowCount).toBe(5);
  });

  it('a quote that never closes is one source-error naming the row, not a crash', async () => {
    const r = await inspectCsv('a,b\n1,"unterminated\n2,3\n');
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ type: 'source-error', row: 2 });
    expect(r.errors[0].message).toMatch(/never closed/);
  });

  it('an empty source is a source-error', async () => {
    const r = await inspectCsv('');
    expect(rows(r.errors)).toEqual([[null, null, 'source-error']]);
  });

  it('summary rows: keyword cells in the label columns with numbers; not names that contain the word', async () => {
    const r = await inspectCsv('區域,男,女\n大安區,1,2\n總計(人),3,4\n小 計：,3,4\n大安區,Total Energies,5\n合計收入,5,6\n');
    expect(rows(r.errors)).toEqual([[3, null, 'subtotal-row'], [4, null, 'subtotal-row']]);
  });

  it('a repeated header row', async () => {
    const r = await inspectCsv('id,name\n1,a\n id , name\n');
    expect(rows(r.errors)).toEqual([[3, null, 'second-header-row']]);
  });

  it('title rows are reported without renumbering the header', async () => {
    const r = await inspectCsv('表一 人口統計\n\n區域,男,女\n大安,1,2\n');
    expect(r.header).toEqual(['表一 人口統計']);
    expect(rows(r.errors).filter((e) => e[2] === 'title-row')).toEqual([[1, null, 'title-row']]);
  });

  it('a cut body does not blame the last row for missing cells', async () => {
    const r = await inspectCsv('a,b,c\n1,2,3\n4,5', { truncated: true });
    expect(r.errors).toEqual([]);
  });

  it('stores at most maxStoredErrors but counts all', async () => {
    const r = await inspectCsv('a,b\n' + '1\n'.repeat(50), { maxStoredErrors: 10 });
    expect(r.errors).toHaveLength(10);
    expect(r.errorTotal).toBe(50);
    expect(r.errorCounts['missing-cell']).toBe(50);
    expect(r.errorsCapped).toBe(true);
  });

  it('an explicit delimiter is used as given', async () => {
    const r = await inspectCsv('a|b\n1|2\n', { delimiter: '|' });
    expect(r.header).toEqual(['a', 'b']);
    expect(r.errorTotal).toBe(0);
  });
});

describe('title lines above a header spread over two rows', () => {
  it('names the header rows it believes in, not the first data row', async () => {
    const text = '臺北市各區人口統計,,,\n,,,\n行政區,人口,,面積\n,男,女,\n大安區,150000,160000,11.36\n信義區,100000,110000,11.21\n';
    const r = await inspectCsv(text);
    const titles = r.errors.filter((e) => e.type === 'title-row');
    expect(titles.map((e) => e.message)).toEqual([
      'row 1 holds a single value ("臺北市各區人口統計") above what looks like the real header at rows 3–4 (a header spread over 2 rows)',
    ]);
  });

  it('a single header row below a title is named as such', async () => {
    const r = await inspectCsv('人口統計,,\n行政區,人口,面積\n大安區,310000,11.36\n');
    expect(r.errors.filter((e) => e.type === 'title-row').map((e) => e.message)).toEqual([
      'row 1 holds a single value ("人口統計") above what looks like the real header at row 2',
    ]);
  });
});

describe('locateHeader', () => {
  const row = (n: number, filled: number, numeric = 0) => ({ row: n, filled, numeric });
  it('a title, two sparse header rows and data below a blank row: the header is rows 3–4, not data row 6', () => {
    const rows = [row(1, 1), row(2, 0), row(3, 2), row(4, 2), row(5, 0), row(6, 5, 4), row(7, 5, 4)];
    const at = locateHeader(rows, 5)!;
    expect(describeHeaderRows(rows, at)).toBe('rows 3–4 (a header spread over 2 rows)');
    expect(at.titles).toEqual([0]);
  });
  it('no title when the first row holds two values', () => {
    expect(locateHeader([row(1, 2), row(2, 5, 3)], 5)).toBeUndefined();
  });
});
