// 屬結構化資料: fixed-column tables without structural errors, or well-formed JSON/XML (badge-rules.md §3).
import type { LimitHit, StructuralError } from '../model.ts';
import { raiseHint } from '../inspect/limits.ts';
import { fail, notEvaluated, opt, pass, unsure, type ResourceRule } from './rule.ts';

const UNSTRUCTURED_HINT = {
  zh: '請改以結構化格式（CSV、JSON、XML 等）提供資料，而非 PDF、Word 或圖片。',
  en: 'Publish the data in a structured format (CSV, JSON, XML …), not PDF, Word or images.',
};

const LIMIT_HINT = {
  zh: '檔案超出檢測上限（如單一儲存格過長、共用字串過多、壓縮比過高），無法視為可處理的結構化資料；請拆分或精簡檔案。若內容確屬正常，可依說明調高上限後重新檢測。',
  en: 'The file goes past an inspection limit (a cell too long, too many shared strings, a compression ratio of a zip bomb…), so it is not usable structured data; split or slim it. If the content is genuine, raise the limit as the evidence says and inspect again.',
};

function describeLimit(h: LimitHit): string {
  return `${h.name} = ${h.limit}${h.observed !== undefined ? ` (the file reaches ${h.observed})` : ''}: ${h.message}${h.where && !h.message.includes(h.where) ? ` at ${h.where}` : ''}`;
}

function describe(e: StructuralError): string {
  const where = [e.cell, e.row !== null ? `row ${e.row}` : null, e.field !== null ? `field ${e.field}` : null].filter(Boolean).join(', ');
  return `${e.type}${where ? ` at ${where}` : ''}`;
}

export const structured: ResourceRule = {
  id: 'structured',
  scope: 'resource',
  title: { zh: '屬結構化資料', en: 'Structured data' },
  docs: 'src/rules/structured.md',
  source: '政府資料開放優質標章 (2017) 易於被處理',
  check({ facts, options }) {
    if (!facts) return notEvaluated('nothing to inspect');
    if ((facts.format === 'zip' || facts.format === 'kmz') && opt<'judge-entries' | 'not-evaluated'>(options, 'archives', 'judge-entries') === 'not-evaluated') {
      return notEvaluated(`${facts.format.toUpperCase()} archives are not opened under this ruleset (archives: not-evaluated)`);
    }
    const formats = opt<string[]>(options, 'structuredFormats', []);
    const ignore = new Set<string>();
    if (!opt(options, 'subtotalRowsFail', true)) ignore.add('subtotal-row');
    if (!opt(options, 'titleRowFails', true)) ignore.add('title-row');
    const errors = facts.structuralErrors.filter((e) => !ignore.has(e.type));
    if (formats.length && !formats.includes(facts.format)) {
      return fail(`content is ${facts.format} (${facts.formatEvidence}), which is not structured data`, UNSTRUCTURED_HINT, { format: facts.format });
    }
    // A limit is a deterministic property of the file (the same bytes reach it every time): fail, never unsure.
    if (facts.limits?.length) {
      const [first, ...more] = facts.limits;
      return fail(
        `${facts.format}: stopped at the inspection limit ${describeLimit(first)}${more.length ? `; ${more.length} more limit${more.length === 1 ? '' : 's'} (${more.map((h) => h.name).join(', ')})` : ''}; ${raiseHint(first.name)}`,
        LIMIT_HINT,
        { limits: facts.limits.slice(0, 10) },
      );
    }
    if (errors.length) {
      const counts: Record<string, number> = {};
      for (const e of errors) counts[e.type] = (counts[e.type] ?? 0) + 1;
      const first = errors.slice(0, 5).map(describe).join('; ');
      return fail(`${errors.length} structural error(s) in ${facts.format}: ${first}${errors.length > 5 ? '; …' : ''}`, {
        zh: '表格須只有一列標題、每列欄位數相同，且不可有空白列、小計/合計列、標題說明列或合併儲存格；請依錯誤所列位置修正。',
        en: 'A table needs exactly one header row, the same number of fields in every row, and no blank, subtotal, title or merged rows; fix the rows listed.',
      }, { counts, errors: errors.slice(0, 20) });
    }
    if (facts.structured === true) return pass(`${facts.format}: ${facts.structuredEvidence}`);
    if (facts.structured === false) return fail(`${facts.format}: ${facts.structuredEvidence}`, UNSTRUCTURED_HINT);
    return unsure(`${facts.format}: could not judge the structure (${facts.structuredEvidence})`, {
      zh: '無法判斷資料結構，請確認檔案可正常開啟。',
      en: 'The structure could not be judged; check that the file opens.',
    });
  },
};
