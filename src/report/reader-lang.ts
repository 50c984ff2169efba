// The reader's language for the reports written as files (Markdown, CSV): zh-TW unless ODBADGE_LANG asks for
// English. The dashboard carries both and switches in the browser. Evidence and findings are shown from their
// rendered messages; results written by an older odbadge (no `message`) fall back to the English evidence.
import type { Lang } from '../messages/index.ts';
import type { Bilingual, Finding, IndicatorResult } from '../model.ts';

/** The environment variable that picks the language of report.md, summary.md, the CSV reports and the CI summary. */
export const LANG_ENV = 'ODBADGE_LANG';

/** `en`, `en-US`, `en_GB.UTF-8` … → English; anything else (unset, zh-TW, zh_TW.UTF-8) → Traditional Chinese. */
export function readerLang(value: string | undefined = process.env[LANG_ENV]): Lang {
  return /^en\b|^en[-_]/i.test(value?.trim() ?? '') ? 'en' : 'zh';
}

/** An indicator's evidence for the reader. */
export function evidenceIn(r: Pick<IndicatorResult, 'evidence' | 'message'> | undefined, lang: Lang): string {
  if (!r) return '';
  return r.message?.[lang] ?? r.evidence;
}

/** A finding's message for the reader. */
export function findingIn(f: Finding, lang: Lang): string {
  return f.text?.[lang] ?? (lang === 'zh' ? (f.messageZh ?? f.message) : f.message);
}

/** Both languages of an indicator's evidence (the English one is the evidence itself when there is no message). */
export function evidenceBoth(r: Pick<IndicatorResult, 'evidence' | 'message'>): Bilingual {
  return r.message ?? { zh: r.evidence, en: r.evidence };
}

const VERDICT_ZH: Record<string, string> = { pass: '通過', fail: '未通過', 'not-evaluated': '未檢測', unsure: '不確定' };

/** A verdict for the reader: "fail" / 未通過. */
export function verdictIn(v: string, lang: Lang): string {
  return lang === 'zh' ? (VERDICT_ZH[v] ?? v) : v;
}
