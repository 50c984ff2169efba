// Plan dates → "YYYY-MM". Hong Kong plans write MM/YYYY; Taiwan lists write Republic-of-China years
// (民國 year + 1911): 104年8月, 105/1, 105年1月1日, and sometimes a year alone (105).

export interface PlanDate {
  /** YYYY-MM: the month by whose end the promise falls due (for a year alone, December of that year) */
  date: string;
  precision: 'day' | 'month' | 'year';
}

const pad = (n: number) => String(n).padStart(2, '0');

function make(year: number, month: number, precision: PlanDate['precision']): PlanDate | undefined {
  if (month < 1 || month > 12 || year < 1900 || year > 2200) return undefined;
  return { date: `${year}-${pad(month)}`, precision };
}

/** A ROC (民國) or Western year: ≥ 1900 is Western, otherwise ROC. */
const westernYear = (y: number) => (y >= 1900 ? y : y + 1911);

export function parsePlanDate(raw: string): PlanDate | undefined {
  const s = raw.normalize('NFKC').replace(/\s+/g, '').replace(/^(民國|民国)/, '');
  let m = /^(\d{1,2})\/(\d{4})$/.exec(s); // HK: MM/YYYY
  if (m) return make(Number(m[2]), Number(m[1]), 'month');
  m = /^(\d{4})[-/.](\d{1,2})$/.exec(s); // YYYY-MM
  if (m) return make(Number(m[1]), Number(m[2]), 'month');
  m = /^(\d{2,4})年(\d{1,2})月(?:(\d{1,2})日)?$/.exec(s); // 104年8月, 105年1月1日, 2019年3月
  if (m) return make(westernYear(Number(m[1])), Number(m[2]), m[3] ? 'day' : 'month');
  m = /^(\d{2,3})[/.-](\d{1,2})(?:[/.-](\d{1,2}))?$/.exec(s); // 105/1, 104.8, 105/1/1
  if (m) return make(westernYear(Number(m[1])), Number(m[2]), m[3] ? 'day' : 'month');
  m = /^(\d{2,4})年?(?:底|年底|內|内)?$/.exec(s); // 105, 105年, 105年底: due by the end of the year
  if (m) return make(westernYear(Number(m[1])), 12, 'year');
  return undefined;
}

/** The last instant of a YYYY-MM month in UTC+8 (the plans are Hong Kong / Taiwan local time). */
export function endOfMonthUtc8(yyyymm: string): Date {
  const [y, m] = yyyymm.split('-').map(Number);
  return new Date(Date.UTC(y, m, 1) - 8 * 3_600_000 - 1);
}
