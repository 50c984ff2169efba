// 編碼格式 matches the resource: "declared equals detected", with spelling variants normalised and a UTF-8 BOM
// not counted as a mismatch (badge-rules.md §4).
import { isDeclaredCompatible } from '../inspect/encoding/index.ts';
import { fail, notEvaluated, opt, pass, type ResourceRule } from './rule.ts';

// Formats whose character encoding is fixed by the format itself (XML parts inside a ZIP, BIFF records).
const SELF_DESCRIBING = new Set(['xlsx', 'xls', 'ods', 'zip', 'kmz', 'shp']);

export const encodingMatch: ResourceRule = {
  id: 'encoding-match',
  scope: 'resource',
  title: { zh: '編碼格式與資料相符', en: 'Declared encoding matches' },
  docs: 'src/rules/encoding-match.md',
  source: '政府資料開放優質標章 (2017) 易於理解; official checker field encoding_match',
  check({ dataset, resource, facts, options }) {
    if (!facts) return notEvaluated('nothing to inspect');
    const declared = (resource.declared.encoding ?? dataset.declared.encoding ?? '').trim();
    if (SELF_DESCRIBING.has(facts.format)) {
      const verdict = opt<'pass' | 'not-evaluated'>(options, 'binaryFormats', 'pass');
      const evidence = `${facts.format} fixes its own character encoding${declared ? `; declared "${declared}"` : ''}`;
      return verdict === 'pass' ? pass(evidence) : notEvaluated(evidence);
    }
    if (!declared) {
      const likely = facts.encoding?.likely;
      const evidence = `no 編碼格式 declared; the file is ${facts.encoding?.detected ?? 'of unknown encoding'}${likely ? ` (${likely.evidence})` : ''}`;
      if (opt<'fail' | 'not-evaluated'>(options, 'missingDeclaration', 'fail') === 'not-evaluated') return notEvaluated(evidence);
      return fail(evidence, {
        zh: `請於詮釋資料填寫編碼格式（本檔案偵測為 ${facts.encoding?.detected ?? '未知'}）。`,
        en: `Declare the encoding in the metadata (this file is ${facts.encoding?.detected ?? 'unknown'}).`,
      });
    }
    if (!facts.encoding) return notEvaluated(`no text to check against the declared "${declared}"`);
    const r = isDeclaredCompatible(declared, facts.encoding);
    const detail = { declared, detected: facts.encoding.detected, compatible: facts.encoding.compatible, invalidAt: facts.encoding.invalidAt };
    if (r.match) return pass(`declared "${declared}"; ${r.why}`, detail);
    return fail(`declared "${declared}" but ${r.why}`, {
      zh: `宣告的編碼格式與檔案不符（偵測為 ${facts.encoding.detected}）；請將檔案轉存為宣告的編碼（建議 UTF-8），或更正詮釋資料。`,
      en: `The declared encoding does not match the file (detected ${facts.encoding.detected}); re-save the file in the declared encoding (UTF-8 recommended) or correct the metadata.`,
    }, detail);
  },
};
