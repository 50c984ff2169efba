// The message catalogue (src/messages): every code has a template in both languages and a description; every
// code odbadge can emit is in it and every code in it is emitted somewhere; docs/codes.md is its generated page.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codesMarkdown } from '../../scripts/docs.ts';
import { CATALOGUE, finding, fixOf, frequencyText, legacyText, msg, render, structuralError, zonedTime, type MessageDef } from '../../src/messages/index.ts';
import { frequencyParam, parseFrequency } from '../../src/catalog/frequency.ts';
import { evidenceIn, readerLang } from '../../src/report/reader-lang.ts';

const root = resolve(import.meta.dirname, '../..');
const han = /\p{Script=Han}/u;
const entries = Object.entries(CATALOGUE) as [string, MessageDef<unknown>][];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}
/** The source outside the catalogue that uses it: where codes are emitted. */
const emitters = files(resolve(root, 'src'))
  .filter((f) => !relative(root, f).startsWith('src/messages/'))
  .map((f) => [relative(root, f), readFileSync(f, 'utf8')] as const)
  .filter(([, t]) => /from '(\.\.\/)+messages\/index\.ts'|from '\.\/messages\/index\.ts'/.test(t));

describe('the message catalogue', () => {
  it('holds the codes of every kind', () => {
    const kinds: Record<string, number> = {};
    for (const [, d] of entries) kinds[d.kind] = (kinds[d.kind] ?? 0) + 1;
    expect(Object.keys(kinds).sort()).toEqual(['encoding', 'finding', 'indicator', 'inspection', 'structural-error']);
    expect(entries.length).toBeGreaterThan(120);
  });

  it.each(entries)('%s renders its example in Chinese and English, and has a description', (code, def) => {
    const ref = { code, params: def.example as object };
    expect(render(ref, 'zh')).toMatch(han);
    expect(render(ref, 'en').length).toBeGreaterThan(0);
    expect(legacyText(ref).length).toBeGreaterThan(0);
    expect(def.description.length).toBeGreaterThan(20);
    const fix = fixOf(ref);
    if (fix) {
      expect(fix.zh).toMatch(han);
      expect(fix.en.length).toBeGreaterThan(0);
    }
  });

  it('every code in the catalogue is emitted somewhere in src/ (no dead entries)', () => {
    const text = emitters.map(([, t]) => t).join('\n');
    const dead = entries.map(([c]) => c).filter((c) => !text.includes(`'${c}'`));
    expect(dead).toEqual([]);
  });

  it('every code src/ emits is in the catalogue (beside the compiler, which checks the literal types)', () => {
    const emitted = new Set<string>();
    for (const [, t] of emitters) {
      for (const m of t.matchAll(/\b(?:msg|finding|structuralError)\(\s*'([^']+)'/g)) emitted.add(m[1]);
      for (const m of t.matchAll(/\bfinding\(\s*[^,'()]+\?\s*'([^']+)'\s*:\s*'([^']+)'/g)) emitted.add(m[1]).add(m[2]);
    }
    expect(emitted.size).toBeGreaterThan(100);
    expect([...emitted].filter((c) => !(c in CATALOGUE))).toEqual([]);
    // and the scan finds every entry emitted through one of those three functions
    expect(entries.map(([c]) => c).filter((c) => !emitted.has(c))).toEqual([]);
  });

  it('docs/codes.md is the generated page and lists every code (npm run docs)', () => {
    const committed = readFileSync(resolve(root, 'docs/codes.md'), 'utf8');
    expect(committed).toBe(codesMarkdown());
    for (const [code] of entries) expect(committed).toContain(`| \`${code}\` |`);
  });
});

describe('messages as a reader sees them', () => {
  it('times in the portal\'s zone, with the offset', () => {
    expect(zonedTime('2024-03-01T00:00:00.000Z', 'Asia/Taipei')).toBe('2024-03-01 08:00 UTC+08:00');
    expect(zonedTime('2024-03-01T00:00:00.000Z', 'Asia/Hong_Kong')).toBe('2024-03-01 08:00 UTC+08:00');
    expect(zonedTime('2024-03-01T00:00:00.000Z', 'UTC')).toBe('2024-03-01 00:00 UTC+00:00');
    expect(zonedTime('2024-07-01T12:30:00.000Z', 'Europe/Lisbon')).toBe('2024-07-01 13:30 UTC+01:00');
    expect(zonedTime('not a time', 'Asia/Taipei')).toBe('not a time');
  });

  it('frequencies without "every 1 day (1 days)", in both languages; the legacy text kept for evidence', () => {
    const f = (s: string) => frequencyParam(parseFrequency(s));
    const zh = (s: string) => render(msg('timely.no-update-time', { declared: s, frequency: f(s) }), 'zh');
    const en = (s: string) => render(msg('timely.no-update-time', { declared: s, frequency: f(s) }), 'en');
    expect(en('每日')).toBe('declared "每日" (every day) but no update time is available from any source');
    expect(zh('每日')).toBe('宣告「每日」（每日），但沒有任何來源提供更新時間');
    expect(en('每3月')).toContain('(every 3 months)');
    expect(zh('每3月')).toContain('（每 3 個月）');
    expect(en('每日兩次')).toContain('(every 12 hours)');
    expect(zh('即時')).toContain('（即時）');
    expect(legacyText(msg('timely.no-update-time', { declared: '每日', frequency: f('每日') }))).toBe('declared "每日" (every 1 day (1 days)) but no update time is available from any source');
    expect(frequencyText(f('每年'), { lang: 'zh', legacy: false } as never)).toBe('每年');
  });

  it('a finding carries its English message, its Chinese messageZh, params and text in both languages', () => {
    const x = finding('archive-capture-evidence', { captures: 2, url: 'https://x/a.csv', latest: '2024-03-01T01:30:00.000Z' }, { resource: 'r1' }, { timeZone: 'Asia/Hong_Kong' });
    expect(x).toEqual({
      code: 'archive-capture-evidence',
      message: 'historical archive holds 2 capture(s) of https://x/a.csv, newest 2024-03-01T01:30:00.000Z (a capture time, not a declared update time)',
      messageZh: '歷史檔案庫有 2 次擷取，最新為 2024-03-01T01:30:00.000Z（擷取時間，非機關宣告之更新時間）',
      detail: { resource: 'r1' },
      params: { captures: 2, url: 'https://x/a.csv', latest: '2024-03-01T01:30:00.000Z' },
      text: {
        zh: '歷史檔案庫有 2 次擷取，最新為 2024-03-01 09:30 UTC+08:00（擷取時間，非機關宣告之更新時間）',
        en: 'historical archive holds 2 capture(s) of https://x/a.csv, newest 2024-03-01 09:30 UTC+08:00 (a capture time, not a declared update time)',
      },
    });
  });

  it('a structural error: its message from the template, its params to render it in Chinese', () => {
    expect(structuralError('missing-cell', { row: 9, field: 5 }, { label: '人數' })).toEqual({ type: 'missing-cell', row: 9, field: 5, message: 'row 9 has no value for field 5 "人數"', params: { label: '人數' } });
    expect(render({ code: 'missing-cell', params: { label: '人數', row: 9, field: 5 } }, 'zh')).toBe('第 9 列缺少第 5 欄「人數」的值');
  });

  it('the reports\' language: zh-TW unless ODBADGE_LANG says English; old results fall back to the evidence', () => {
    expect(readerLang(undefined)).toBe('zh');
    expect(readerLang('zh-TW')).toBe('zh');
    expect(readerLang('en')).toBe('en');
    expect(readerLang('en_US.UTF-8')).toBe('en');
    expect(evidenceIn({ evidence: 'HTTP 404' }, 'zh')).toBe('HTTP 404');
    expect(evidenceIn({ evidence: 'HTTP 404', message: { zh: '連結回應 HTTP 404', en: 'HTTP 404' } }, 'zh')).toBe('連結回應 HTTP 404');
  });
});
