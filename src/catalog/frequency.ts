// One vocabulary for declared update frequencies (更新頻率 / update_frequency) across zh-TW, zh-HK, zh-CN, English,
// Portuguese, Spanish, French and German, plus the machine forms DCAT portals use: the EU frequency authority
// (http://publications.europa.eu/resource/authority/frequency/MONTHLY), Dublin Core's collection frequencies
// (http://purl.org/cld/freq/monthly) and ISO 8601 durations and repeating intervals (P1M, R/P1M). Portals write
// these as free text; the timeliness rule needs a period. Unknown text is returned as `unknown` (the caller turns
// it into a finding), never thrown.

import { legacyFrequency, type FrequencyParam, type FrequencyUnit } from '../messages/index.ts';

export type { FrequencyUnit } from '../messages/index.ts';

export type Frequency =
  | { kind: 'regular'; every: number; unit: FrequencyUnit; periodDays: number; text: string }
  /** 即時/實時/real-time: updated continuously; judged with a short window. */
  | { kind: 'realtime'; text: string }
  /** 不定期, 有需要時, 在資料更新時, as needed: cannot be late. */
  | { kind: 'irregular'; text: string }
  /** 不更新, one-off: static data, cannot be late. */
  | { kind: 'static'; text: string }
  | { kind: 'unknown'; text: string };

// Nominal lengths are the longest calendar length of each unit, so "每1月" is not late on day 31 of a month.
const UNIT_DAYS: Record<FrequencyUnit, number> = {
  minute: 1 / 1440,
  hour: 1 / 24,
  day: 1,
  week: 7,
  month: 31,
  year: 366,
};

const CN_DIGITS: Record<string, number> = {
  〇: 0, 零: 0, 一: 1, 二: 2, 兩: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10,
};

/** "12", "十二", "兩", "" → number (empty means 1). */
function parseCount(s: string): number | undefined {
  if (s === '') return 1;
  if (/^\d+$/.test(s)) return Number(s);
  // Chinese numerals up to 99: 十, 十二, 二十, 二十四
  const m = /^([一二兩两三四五六七八九]?)(十?)([一二三四五六七八九]?)$/.exec(s);
  if (m && (m[1] || m[2] || m[3])) {
    if (!m[2]) return m[3] ? undefined : CN_DIGITS[m[1]];
    const tens = m[1] ? CN_DIGITS[m[1]] : 1;
    return tens * 10 + (m[3] ? CN_DIGITS[m[3]] : 0);
  }
  if (s.length === 1 && s in CN_DIGITS) return CN_DIGITS[s];
  return undefined;
}

const ZH_UNITS: [RegExp, FrequencyUnit, number][] = [
  // [pattern for the unit word, unit, multiplier]
  [/^(分鐘|分钟|分)$/, 'minute', 1],
  [/^(小時|小时|時|时|鐘頭|钟头)$/, 'hour', 1],
  [/^(日|天)$/, 'day', 1],
  [/^(週|周|星期|禮拜|礼拜)$/, 'week', 1],
  [/^(個月|个月|月)$/, 'month', 1],
  [/^(季|季度)$/, 'month', 3],
  [/^(半年)$/, 'month', 6],
  [/^(年|年度)$/, 'year', 1],
];

const IRREGULAR = [
  /^不定期/, /^(有需要時|有需要时|視乎需要|视乎需要|按需要|需要時|需要时|如有需要)/, /^(在資料更新時|在数据更新时|在資料有更新時|資料更新時|数据更新时)/,
  /^(當有新記錄時|当有新记录时|有新記錄時|有新记录时|有新資料時|有新数据时)/, /^隨時/, /^随时/,
  /^(當有需要時|当有需要时|有需要時更新|按實際需要|按实际需要)/,
  // event-driven: 在發出保安建議或警報時, 當有改動時, 有改動時, 於資料變更時 — updated when something happens
  /^(在|當|当|於|于)?.{0,24}(有改動|有改动|有變更|有变更|發出|发出|更新|變更|变更|公布|公佈|發布|发布).{0,12}(時|时)$/,
  /^(as (and when )?(needed|required)|when (needed|required|available)|ad[- ]hoc|irregular(ly)?|on demand|upon update|when (there (is|are) )?(new )?(updates?|records?|data))/,
  /^(not regularly|no fixed|varies|when necessary|as (and when )?necessary|upon (request|changes?))/,
];
const REALTIME = [/^(即時|實時|实时|即时|real[- ]?time|live|continuous(ly)?)/];
const STATIC = [/^(不更新|無更新|无更新|一次性|不適用|不适用|無|无|none|not (applicable|updated)|one[- ]?off|static|historical|n\/a)$/];

const EN_UNITS: Record<string, [FrequencyUnit, number]> = {
  minute: ['minute', 1], minutes: ['minute', 1], min: ['minute', 1], mins: ['minute', 1],
  hour: ['hour', 1], hours: ['hour', 1], day: ['day', 1], days: ['day', 1], week: ['week', 1], weeks: ['week', 1],
  fortnight: ['week', 2], month: ['month', 1], months: ['month', 1], quarter: ['month', 3], quarters: ['month', 3],
  year: ['year', 1], years: ['year', 1],
};
const EN_ADVERBS: Record<string, [FrequencyUnit, number]> = {
  hourly: ['hour', 1], daily: ['day', 1], weekly: ['week', 1], fortnightly: ['week', 2], biweekly: ['week', 2],
  monthly: ['month', 1], bimonthly: ['month', 2], quarterly: ['month', 3], 'half-yearly': ['month', 6],
  'half yearly': ['month', 6], 'semi-annually': ['month', 6], 'semi-annual': ['month', 6], semiannually: ['month', 6],
  biannually: ['month', 6], 'six-monthly': ['month', 6], yearly: ['year', 1], annually: ['year', 1], annual: ['year', 1],
};

function regular(every: number, unit: FrequencyUnit, text: string): Frequency {
  return { kind: 'regular', every, unit, periodDays: every * UNIT_DAYS[unit], text };
}

/** Twice a day → every 0.5 day, expressed in the smaller unit so periods stay whole numbers where possible. */
function timesPer(times: number, unit: FrequencyUnit, text: string): Frequency {
  const days = UNIT_DAYS[unit] / times;
  const f = regular(1, unit, text) as Extract<Frequency, { kind: 'regular' }>;
  return { ...f, periodDays: days };
}

/** One word (or fixed phrase) that names a whole frequency, in a language odbadge reads. Accents are folded. */
type Word = readonly [FrequencyUnit, number] | 'realtime' | 'irregular' | 'static' | { times: number; unit: FrequencyUnit };

const WORDS: Record<string, Word> = {
  // Portuguese (dados.gov.br: Anual, Mensal, Diário, Semestral, Trimestral, Em tempo real)
  'diario': ['day', 1], 'diaria': ['day', 1], 'diariamente': ['day', 1], 'semanal': ['week', 1], 'semanalmente': ['week', 1],
  'quinzenal': ['week', 2], 'quinzenalmente': ['week', 2], 'mensal': ['month', 1], 'mensalmente': ['month', 1],
  'bimestral': ['month', 2], 'trimestral': ['month', 3], 'trimestralmente': ['month', 3], 'quadrimestral': ['month', 4],
  'semestral': ['month', 6], 'semestralmente': ['month', 6], 'anual': ['year', 1], 'anualmente': ['year', 1],
  'bienal': ['year', 2], 'bianual': ['year', 2], 'horaria': ['hour', 1], 'a cada hora': ['hour', 1],
  'bimensal': { times: 2, unit: 'month' }, 'em tempo real': 'realtime', 'tempo real': 'realtime', 'continua': 'realtime',
  'continuo': 'realtime', 'eventual': 'irregular', 'irregular': 'irregular', 'sob demanda': 'irregular', 'quando necessario': 'irregular',
  'nao se aplica': 'static', 'nao atualizado': 'static', 'sem atualizacao': 'static', 'nunca': 'static', 'nao ha': 'static',
  // Spanish
  'mensual': ['month', 1], 'mensualmente': ['month', 1], 'quincenal': ['week', 2], 'cuatrimestral': ['month', 4],
  'horario': ['hour', 1], 'cada hora': ['hour', 1], 'bimensual': { times: 2, unit: 'month' }, 'en tiempo real': 'realtime',
  'tiempo real': 'realtime', 'a demanda': 'irregular', 'bajo demanda': 'irregular', 'cuando sea necesario': 'irregular',
  'sin actualizacion': 'static', 'no se actualiza': 'static', 'no aplica': 'static',
  // French
  'quotidien': ['day', 1], 'quotidienne': ['day', 1], 'quotidiennement': ['day', 1], 'journalier': ['day', 1], 'journaliere': ['day', 1],
  'hebdomadaire': ['week', 1], 'mensuel': ['month', 1], 'mensuelle': ['month', 1], 'mensuellement': ['month', 1],
  'bimestriel': ['month', 2], 'bimestrielle': ['month', 2], 'trimestriel': ['month', 3], 'trimestrielle': ['month', 3],
  'semestriel': ['month', 6], 'semestrielle': ['month', 6], 'annuel': ['year', 1], 'annuelle': ['year', 1], 'annuellement': ['year', 1],
  'biennal': ['year', 2], 'biennale': ['year', 2], 'bimensuel': { times: 2, unit: 'month' }, 'bimensuelle': { times: 2, unit: 'month' },
  'en temps reel': 'realtime', 'temps reel': 'realtime', 'en continu': 'realtime', 'irregulier': 'irregular', 'irreguliere': 'irregular',
  'ponctuel': 'irregular', 'ponctuelle': 'irregular', 'a la demande': 'irregular', 'jamais': 'static', 'aucune': 'static',
  // German
  'taglich': ['day', 1], 'wochentlich': ['week', 1], 'zweiwochentlich': ['week', 2], 'monatlich': ['month', 1],
  'zweimonatlich': ['month', 2], 'vierteljahrlich': ['month', 3], 'quartalsweise': ['month', 3], 'halbjahrlich': ['month', 6],
  'jahrlich': ['year', 1], 'zweijahrlich': ['year', 2], 'stundlich': ['hour', 1], 'echtzeit': 'realtime', 'in echtzeit': 'realtime',
  'kontinuierlich': 'realtime', 'laufend': 'realtime', 'unregelmassig': 'irregular', 'bei bedarf': 'irregular', 'nie': 'static', 'keine': 'static',
};

/** The EU Publications Office frequency authority (DCAT-AP's dct:accrualPeriodicity), by code. */
const EU_FREQUENCY: Record<string, Word> = {
  '1min': ['minute', 1], '5min': ['minute', 5], '10min': ['minute', 10], '15min': ['minute', 15], '30min': ['minute', 30],
  hourly: ['hour', 1], bihourly: ['hour', 2], trihourly: ['hour', 3], '12hrs': ['hour', 12],
  daily: ['day', 1], daily_2: { times: 2, unit: 'day' }, weekly: ['week', 1], weekly_2: { times: 2, unit: 'week' },
  weekly_3: { times: 3, unit: 'week' }, biweekly: ['week', 2], monthly: ['month', 1], monthly_2: { times: 2, unit: 'month' },
  monthly_3: { times: 3, unit: 'month' }, bimonthly: ['month', 2], quarterly: ['month', 3], annual: ['year', 1],
  annual_2: { times: 2, unit: 'year' }, annual_3: { times: 3, unit: 'year' }, biennial: ['year', 2], triennial: ['year', 3],
  quadrennial: ['year', 4], quinquennial: ['year', 5], decennial: ['year', 10], bidecennial: ['year', 20], tridecennial: ['year', 30],
  cont: 'realtime', update_cont: 'realtime', irreg: 'irregular', other: 'irregular', as_needed: 'irregular',
  never: 'static', not_planned: 'static', op_datpro: 'static',
};

/** Dublin Core collection frequencies (http://purl.org/cld/freq/…), which some DCAT portals still use. */
const DC_FREQUENCY: Record<string, Word> = {
  triennial: ['year', 3], biennial: ['year', 2], annual: ['year', 1], semiannual: ['month', 6], threetimesayear: ['month', 4],
  quarterly: ['month', 3], bimonthly: ['month', 2], monthly: ['month', 1], semimonthly: { times: 2, unit: 'month' },
  biweekly: ['week', 2], threetimesamonth: { times: 3, unit: 'month' }, weekly: ['week', 1], semiweekly: { times: 2, unit: 'week' },
  threetimesaweek: { times: 3, unit: 'week' }, daily: ['day', 1], continuous: 'realtime', irregular: 'irregular',
};

function fromWord(w: Word, text: string): Frequency {
  if (w === 'realtime' || w === 'irregular' || w === 'static') return { kind: w, text };
  if ('times' in w) return timesPer(w.times, w.unit, text);
  return regular(w[1], w[0], text);
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/ß/g, 'ss');

/** ISO 8601 duration or repeating interval: P1M, P1Y, P3M, PT1H, P1W, R/P1M, R/2020-01-01/P1D. */
function isoDuration(s: string, text: string): Frequency | undefined {
  const m = /^(?:r\d*\/(?:[^/]+\/)?)?p(?:(\d+(?:\.\d+)?)y)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)w)?(?:(\d+(?:\.\d+)?)d)?(?:t(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:\d+(?:\.\d+)?s)?)?$/.exec(s);
  if (!m || s.endsWith('p') || s.endsWith('t')) return undefined;
  const parts: [FrequencyUnit, string | undefined][] = [['year', m[1]], ['month', m[2]], ['week', m[3]], ['day', m[4]], ['hour', m[5]], ['minute', m[6]]];
  const present = parts.filter(([, v]) => v !== undefined && Number(v) > 0);
  if (present.length === 0) return undefined;
  const days = present.reduce((n, [u, v]) => n + Number(v) * UNIT_DAYS[u], 0);
  const [unit, v] = present[0];
  const every = Number(v);
  if (present.length === 1 && Number.isInteger(every)) return regular(every, unit, text);
  return { kind: 'regular', every: 1, unit, periodDays: days, text };
}

/** Machine forms: EU authority URIs, Dublin Core URIs, ISO 8601 durations. */
function machineForm(s: string, text: string): Frequency | undefined {
  const eu = /\/authority\/frequency\/([a-z0-9_]+)\/?$/.exec(s);
  if (eu) {
    const w = EU_FREQUENCY[eu[1]];
    return w ? fromWord(w, text) : eu[1] === 'unknown' ? { kind: 'unknown', text } : undefined;
  }
  const dc = /purl\.org\/cld\/freq\/([a-z]+)\/?$/.exec(s);
  if (dc) return DC_FREQUENCY[dc[1]] ? fromWord(DC_FREQUENCY[dc[1]], text) : undefined;
  return isoDuration(s, text);
}

export function parseFrequency(raw: string | undefined | null): Frequency {
  const text = (raw ?? '').toString();
  const base = text.normalize('NFKC').trim().replace(/\s+/g, ' ')
    // a cell wrapped in a PDF leaves a space between two CJK characters: "在資料 更新時"
    .replace(/(?<=[\u3400-\u9fff\uf900-\ufaff]) (?=[\u3400-\u9fff\uf900-\ufaff])/g, '')
    // a trailing note in brackets: "每半年 (3月及9月)", "每年(4月)"
    .replace(/\s*[(（][^()（）]*[)）]$/, '')
    .toLowerCase()
    // "更新頻率：每月"
    .replace(/^(更新頻率|更新频率|update frequency)\s*[:：]?\s*/, '');
  const s = base
    // "每月更新", "每年一次更新"
    .replace(/(更新|一次)+$/, (m) => (m.includes('一次') ? '一次' : ''))
    .replace(/[。.]$/, '')
    .trim();
  if (!s) return { kind: 'unknown', text };
  const either = (res: RegExp[]) => res.some((r) => r.test(s) || r.test(base));
  if (either(REALTIME)) return { kind: 'realtime', text };
  if (either(IRREGULAR)) return { kind: 'irregular', text };
  if (either(STATIC)) return { kind: 'static', text };

  // Chinese: 每1月, 每3月, 每季, 每半年, 每6個月, 每星期, 每30分, 每日兩次, 每年一次, 一年一次, 每年兩次
  let m = /^每\s*([0-9]+|[一二兩两三四五六七八九十]+)?\s*(分鐘|分钟|分|小時|小时|時|时|鐘頭|钟头|日|天|週|周|星期|禮拜|礼拜|個月|个月|月|季度|季|半年|年度|年)(?:\s*([0-9]+|[一二兩两三四五六七八九十]+)\s*次)?$/.exec(s);
  if (m) {
    const n = parseCount(m[1] ?? '');
    const unitEntry = ZH_UNITS.find(([re]) => re.test(m![2]));
    if (n !== undefined && n > 0 && unitEntry) {
      const [, unit, mult] = unitEntry;
      const times = m[3] !== undefined ? parseCount(m[3]) : 1;
      if (times && times > 1) return timesPer(times, unit, text);
      return regular(n * mult, unit, text);
    }
  }
  // 一年一次 / 半年一次 / 三個月一次
  m = /^([0-9]+|[一二兩两三四五六七八九十]+)?\s*(個月|个月|月|年|季|週|周|星期|日|天)\s*一次$/.exec(s);
  if (m) {
    const n = parseCount(m[1] ?? '');
    const unitEntry = ZH_UNITS.find(([re]) => re.test(m![2]));
    if (n && unitEntry) return regular(n * unitEntry[2], unitEntry[1], text);
  }
  if (/^半年(一次)?$/.test(s)) return regular(6, 'month', text);

  const machine = machineForm(s, text);
  if (machine) return machine;
  const word = WORDS[fold(s)];
  if (word) return fromWord(word, text);

  // English
  const adv = EN_ADVERBS[s.replace(/\s*update[sd]?$/, '')];
  if (adv) return regular(adv[1], adv[0], text);
  m = /^(?:every|once (?:a|per|every))\s+(\d+|one|two|three|four|six|twelve)?\s*([a-z]+)$/.exec(s);
  if (m) {
    const words: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, six: 6, twelve: 12 };
    const n = m[1] ? (words[m[1]] ?? Number(m[1])) : 1;
    const u = EN_UNITS[m[2]];
    if (u && n > 0) return regular(n * u[1], u[0], text);
  }
  m = /^(twice|two times|three times|(\d+) times) (?:a|per) (day|week|month|year)$/.exec(s);
  if (m) {
    const times = m[1] === 'twice' || m[1] === 'two times' ? 2 : m[1] === 'three times' ? 3 : Number(m[2]);
    return timesPer(times, m[3] as FrequencyUnit, text);
  }
  return { kind: 'unknown', text };
}

/** A frequency as message parameters (src/messages renders it: "every 3 months" / 每 3 個月). */
export function frequencyParam(f: Frequency): FrequencyParam {
  return f.kind === 'regular' ? { kind: 'regular', every: f.every, unit: f.unit, periodDays: f.periodDays } : { kind: f.kind };
}

/** A short English label, as evidence has always quoted it ("every 1 month (31 days)"). */
export function describeFrequency(f: Frequency): string {
  return legacyFrequency(frequencyParam(f));
}
