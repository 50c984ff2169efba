import { describe, expect, it } from 'vitest';
import { inspectCsv } from '../../src/inspect/csv.ts';

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
