// data.gov.tw prints times without a zone; they are Taiwan local time (UTC+8, no DST since 1979).

const TIME_RE =
  /^(\d{2,4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * `2026-03-10 14:05:00.000000`, `2018-03-16 10:00:00`, `2017/10/07`, `2017/09/29 17:25` → ISO 8601 with `+08:00`.
 * A 2- or 3-digit year is a ROC (民國) year: 107/03/16 = 2018-03-16. A time that already carries a zone is
 * re-expressed in +08:00. Returns undefined for empty or impossible values (month 13, Feb 30…).
 */
export function parseTaiwanTime(s: string | null | undefined): string | undefined {
  if (typeof s !== 'string') return undefined;
  const m = TIME_RE.exec(s.trim());
  if (!m) return undefined;
  let year = Number(m[1]);
  if (m[1].length < 4) year += 1911;
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (year < 1912 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let utcMs = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const zone = m[8];
  if (zone === undefined) {
    utcMs -= 8 * 3600_000;
  } else if (zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    utcMs -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  const t = new Date(utcMs + 8 * 3600_000); // read the UTC fields of this as Taiwan wall-clock time
  const frac = t.getUTCMilliseconds() ? `.${pad(t.getUTCMilliseconds(), 3)}` : '';
  return (
    `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}` +
    `T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}${frac}+08:00`
  );
}
