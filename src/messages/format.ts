// Language- and time-zone-aware pieces shared by every template: dates in the portal's zone with the offset,
// durations, frequencies, lists. The legacy forms reproduce the English evidence odbadge wrote before the catalogue.
import type { Fmt, Lang, MessageRef } from './types.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether Intl knows the zone name (Asia/Taipei, UTC …). */
export function isTimeZone(name: string): boolean {
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * `2024-03-01 08:00 UTC+08:00`: the wall-clock time a reader on the portal's side sees, and the offset so it is
 * never ambiguous. An unparsable value is shown as given; an unknown zone falls back to UTC.
 */
export function zonedTime(iso: string, timeZone = 'UTC'): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const f = isTimeZone(timeZone) ? formatterFor(timeZone) : formatterFor('UTC');
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(t)) p[part.type] = part.value;
  const offset = (p.timeZoneName ?? 'GMT').replace(/^GMT/, '') || '+00:00';
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} UTC${offset}`;
}

/** The English evidence of a duration, as the timeliness rule always wrote it. */
export function legacyDays(d: number): string {
  return d >= 2 ? `${Math.round(d)} days` : `${+(d * 24).toFixed(1)} hours`;
}

function days(d: number, lang: Lang): string {
  if (d >= 2) {
    const n = Math.round(d);
    return lang === 'zh' ? `${n} 天` : `${n} days`;
  }
  const h = +(d * 24).toFixed(1);
  return lang === 'zh' ? `${h} 小時` : `${h} hour${h === 1 ? '' : 's'}`;
}

export interface OptionsForRender {
  /** IANA zone the portal's times are shown in (Asia/Taipei for data.gov.tw); default UTC. */
  timeZone?: string;
}

export function makeFmt(lang: Lang, legacy: boolean, opts: OptionsForRender, nested: (ref: MessageRef, f: Fmt) => string): Fmt {
  const f: Fmt = {
    lang,
    legacy,
    date: (iso) => (legacy ? iso : zonedTime(iso, opts.timeZone)),
    days: (d) => (legacy ? legacyDays(d) : days(d, lang)),
    msg: (ref) => (ref ? nested(ref, f) : ''),
    list: (items) => items.join(lang === 'zh' ? '、' : ', '),
    plural: (n, one, many) => (lang === 'zh' || n === 1 ? one : (many ?? `${one}s`)),
  };
  return f;
}

// ------------------------------------------------------------------------------------------ frequencies

export type FrequencyUnit = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

/** A parsed update frequency as message parameters (src/catalog/frequency.ts makes them). */
export type FrequencyParam =
  | { kind: 'regular'; every: number; unit: FrequencyUnit; periodDays: number }
  | { kind: 'realtime' | 'irregular' | 'static' | 'unknown' };

/** The English label odbadge has always written ("every 1 month (31 days)"): kept for `evidence`. */
export function legacyFrequency(f: FrequencyParam): string {
  if (f.kind !== 'regular') return f.kind === 'realtime' ? 'real-time' : f.kind;
  const d = f.periodDays;
  return d >= 1 ? `every ${f.every} ${f.unit}${f.every > 1 ? 's' : ''} (${+d.toFixed(2)} days)` : `every ${+(d * 24).toFixed(2)} hours`;
}

const ZH_UNIT: Record<FrequencyUnit, string> = { minute: '分鐘', hour: '小時', day: '日', week: '週', month: '個月', year: '年' };
const ZH_EVERY_ONE: Record<FrequencyUnit, string> = { minute: '每分鐘', hour: '每小時', day: '每日', week: '每週', month: '每月', year: '每年' };
const ZH_KIND: Record<string, string> = { realtime: '即時', irregular: '不定期', static: '不更新', unknown: '無法解讀' };
const EN_KIND: Record<string, string> = { realtime: 'real-time', irregular: 'irregular', static: 'not updated', unknown: 'unknown' };

const UNIT_DAYS: Record<FrequencyUnit, number> = { minute: 1 / 1440, hour: 1 / 24, day: 1, week: 7, month: 31, year: 366 };

/** A frequency for the reader: "every month", "every 3 months", "every 12 hours" (twice a day) / 每月, 每 3 個月. */
export function frequencyText(f: FrequencyParam, fmt: Fmt): string {
  if (fmt.legacy) return legacyFrequency(f);
  if (f.kind !== 'regular') return (fmt.lang === 'zh' ? ZH_KIND : EN_KIND)[f.kind];
  const zh = fmt.lang === 'zh';
  // "twice a day" is one day divided by two: say the period itself
  if (!Number.isInteger(f.every) || Math.abs(f.periodDays - f.every * UNIT_DAYS[f.unit]) > 1e-9) {
    const [n, unit] = f.periodDays >= 1 ? [+f.periodDays.toFixed(2), zh ? '天' : 'days'] : [+(f.periodDays * 24).toFixed(2), zh ? '小時' : 'hours'];
    return zh ? `每 ${n} ${unit}` : `every ${n} ${unit}`;
  }
  if (zh) return f.every === 1 ? ZH_EVERY_ONE[f.unit] : `每 ${f.every} ${ZH_UNIT[f.unit]}`;
  return f.every === 1 ? `every ${f.unit}` : `every ${f.every} ${f.unit}s`;
}
