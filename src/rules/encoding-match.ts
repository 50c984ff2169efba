// 編碼格式 matches the resource: "declared equals detected", with spelling variants normalised and a UTF-8 BOM
// not counted as a mismatch (badge-rules.md §4).
import { declaredEncodingVerdict } from '../inspect/encoding/index.ts';
import { msg } from '../messages/index.ts';
import { option } from './options.ts';
import { fail, notEvaluated, pass, resourceRule, verdict } from './rule.ts';

// Formats whose character encoding is fixed by the format itself (XML parts inside a workbook, BIFF records).
const SELF_DESCRIBING = new Set(['xlsx', 'xls', 'ods', 'shp']);
const ARCHIVES = new Set(['zip', 'kmz']);

export const encodingMatch = resourceRule({
  id: 'encoding-match',
  scope: 'resource',
  title: { zh: '編碼格式與資料相符', en: 'Declared encoding matches' },
  docs: 'src/rules/encoding-match.md',
  source: '政府資料開放優質標章 (2017) 易於理解; official checker field encoding_match',
  options: {
    missingDeclaration: option.oneOf(['fail', 'not-evaluated'], 'fail', 'Verdict when no 編碼格式 is declared.'),
    binaryFormats: option.oneOf(['pass', 'not-evaluated'], 'pass', 'Verdict for formats whose encoding is fixed by the format (XLSX, ODS, XLS).'),
    archives: option.oneOf(['judge-entries', 'not-evaluated'], 'judge-entries', "ZIP/KMZ: each text entry's detected encoding against the declaration (odbadge), or not evaluated (the 2017 platform checker: encoding_match 2)."),
  },
  check({ dataset, resource, facts, options }) {
    if (!facts) return notEvaluated(msg('encoding-match.no-content', {}));
    const declared = (resource.declared.encoding ?? dataset.declared.encoding ?? '').trim();
    if (ARCHIVES.has(facts.format)) {
      // A ZIP is judged by its entries (badge-rules §3): each text entry's encoding against the declaration, as if
      // it were published on its own. The official checker does not open ZIPs (the official profile says so).
      if (options.archives === 'not-evaluated') return notEvaluated(msg('encoding-match.archive-not-opened', { format: facts.format }));
      const text = (facts.parts ?? []).filter((p) => p.encoding && p.encoding.detected !== 'binary');
      if (text.length === 0) {
        const formats = [...new Set((facts.parts ?? []).map((p) => p.format as string))];
        return verdict(options.binaryFormats, msg('encoding-match.archive-self-describing', { format: facts.format, formats, ...(declared ? { declared } : {}) }));
      }
      const entries = text.map((p) => ({ entry: p.name, detected: p.encoding!.detected as string }));
      if (!declared) return verdict(options.missingDeclaration, msg('encoding-match.archive-undeclared', { format: facts.format, entries }));
      const judged = text.map((p) => ({ entry: p.name, detected: p.encoding!.detected as string, ...declaredEncodingVerdict(declared, p.encoding!) }));
      const wrong = judged.filter((j) => !j.match);
      const detail = { declared, entries: judged.map(({ entry, detected, match }) => ({ entry, detected, match })) };
      if (wrong.length === 0) return pass(msg('encoding-match.archive-match', { declared, entries }), detail);
      return fail(msg('encoding-match.archive-mismatch', { declared, total: judged.length, wrong: wrong.map(({ entry, detected, reason }) => ({ entry, detected, reason })) }), detail);
    }
    if (SELF_DESCRIBING.has(facts.format)) {
      return verdict(options.binaryFormats, msg('encoding-match.self-describing', { format: facts.format, ...(declared ? { declared } : {}) }));
    }
    if (!declared) {
      const likely = facts.encoding?.likely;
      const m = msg('encoding-match.undeclared', { ...(facts.encoding ? { detected: facts.encoding.detected } : {}), ...(likely ? { likely: { encoding: likely.encoding, evidence: likely.evidence } } : {}) });
      return verdict(options.missingDeclaration, m);
    }
    if (!facts.encoding) return notEvaluated(msg('encoding-match.no-text', { declared }));
    const r = declaredEncodingVerdict(declared, facts.encoding);
    const detail = { declared, detected: facts.encoding.detected, compatible: facts.encoding.compatible, invalidAt: facts.encoding.invalidAt };
    if (r.match) return pass(msg('encoding-match.match', { declared, reason: r.reason }), detail);
    return fail(msg('encoding-match.mismatch', { declared, detected: facts.encoding.detected, reason: r.reason }), detail);
  },
});
