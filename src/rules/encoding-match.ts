// 編碼格式 matches the resource: "declared equals detected", with spelling variants normalised and a UTF-8 BOM
// not counted as a mismatch (badge-rules.md §4).
import { isDeclaredCompatible } from '../inspect/encoding/index.ts';
import { fail, notEvaluated, opt, pass, type ResourceRule } from './rule.ts';

// Formats whose character encoding is fixed by the format itself (XML parts inside a workbook, BIFF records).
const SELF_DESCRIBING = new Set(['xlsx', 'xls', 'ods', 'shp']);
const ARCHIVES = new Set(['zip', 'kmz']);

export const encodingMatch: ResourceRule = {
  id: 'encoding-match',
  scope: 'resource',
  title: { zh: '編碼格式與資料相符', en: 'Declared encoding matches' },
  docs: 'src/rules/encoding-match.md',
  source: '政府資料開放優質標章 (2017) 易於理解; official checker field encoding_match',
  check({ dataset, resource, facts, options }) {
    if (!facts) return notEvaluated('nothing to inspect');
    const declared = (resource.declared.encoding ?? dataset.declared.encoding ?? '').trim();
    if (ARCHIVES.has(facts.format)) {
      // A ZIP is judged by its entries (badge-rules §3): each text entry's encoding against the declaration, as if
      // it were published on its own. The official checker does not open ZIPs (the official profile says so).
      if (opt<'judge-entries' | 'not-evaluated'>(options, 'archives', 'judge-entries') === 'not-evaluated') {
        return notEvaluated(`${facts.format.toUpperCase()} archives are not opened under this ruleset (archives: not-evaluated)`);
      }
      const text = (facts.parts ?? []).filter((p) => p.encoding && p.encoding.detected !== 'binary');
      if (text.length === 0) {
        const evidence = `the ${facts.format.toUpperCase()} entries fix their own character encoding (${[...new Set((facts.parts ?? []).map((p) => p.format))].join(', ') || 'no entries'})${declared ? `; declared "${declared}"` : ''}`;
        return opt<'pass' | 'not-evaluated'>(options, 'binaryFormats', 'pass') === 'pass' ? pass(evidence) : notEvaluated(evidence);
      }
      if (!declared) {
        const evidence = `no 編碼格式 declared; the ${facts.format.toUpperCase()} entries are ${text.map((p) => `${p.name} (${p.encoding!.detected})`).join(', ')}`;
        if (opt<'fail' | 'not-evaluated'>(options, 'missingDeclaration', 'fail') === 'not-evaluated') return notEvaluated(evidence);
        return fail(evidence, {
          zh: `請於詮釋資料填寫編碼格式（壓縮檔內的檔案偵測為 ${[...new Set(text.map((p) => p.encoding!.detected))].join('、')}）。`,
          en: `Declare the encoding in the metadata (the files in the archive are ${[...new Set(text.map((p) => p.encoding!.detected))].join(', ')}).`,
        });
      }
      const judged = text.map((p) => ({ entry: p.name, detected: p.encoding!.detected, ...isDeclaredCompatible(declared, p.encoding!) }));
      const wrong = judged.filter((j) => !j.match);
      const detail = { declared, entries: judged.map(({ entry, detected, match }) => ({ entry, detected, match })) };
      if (wrong.length === 0) return pass(`declared "${declared}"; every text entry matches: ${judged.map((j) => `${j.entry} (${j.detected})`).join(', ')}`, detail);
      return fail(`declared "${declared}" but ${wrong.length} of ${judged.length} text entr${judged.length === 1 ? 'y does' : 'ies do'} not match: ${wrong.slice(0, 3).map((j) => `${j.entry}: ${j.why}`).join('; ')}${wrong.length > 3 ? '; …' : ''}`, {
        zh: `壓縮檔內的檔案與宣告的編碼格式不符（${wrong.map((j) => `${j.entry} 偵測為 ${j.detected}`).slice(0, 3).join('、')}）；請將檔案轉存為宣告的編碼（建議 UTF-8），或更正詮釋資料。`,
        en: `Files in the archive do not match the declared encoding (${wrong.map((j) => `${j.entry} is ${j.detected}`).slice(0, 3).join(', ')}); re-save them in the declared encoding (UTF-8 recommended) or correct the metadata.`,
      }, detail);
    }
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
