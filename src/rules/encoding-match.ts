// 編碼格式 matches the resource: "declared equals detected", with spelling variants normalised and a UTF-8 BOM
// not counted as a mismatch (badge-rules.md §4).
import { declaredEncodingVerdict } from '../inspect/encoding/index.ts';
import { msg } from '../messages/index.ts';
import { option } from './options.ts';
import { fail, notEvaluated, pass, resourceRule, verdict } from './rule.ts';

// Formats whose character encoding is fixed by the format itself (XML parts inside a ZIP, BIFF records).
const SELF_DESCRIBING = new Set(['xlsx', 'xls', 'ods', 'zip', 'kmz', 'shp']);

export const encodingMatch = resourceRule({
  id: 'encoding-match',
  scope: 'resource',
  title: { zh: '編碼格式與資料相符', en: 'Declared encoding matches' },
  docs: 'src/rules/encoding-match.md',
  source: '政府資料開放優質標章 (2017) 易於理解; official checker field encoding_match',
  options: {
    missingDeclaration: option.oneOf(['fail', 'not-evaluated'], 'fail', 'Verdict when no 編碼格式 is declared.'),
    binaryFormats: option.oneOf(['pass', 'not-evaluated'], 'pass', 'Verdict for formats whose encoding is fixed by the format (XLSX, ODS, XLS).'),
  },
  check({ dataset, resource, facts, options }) {
    if (!facts) return notEvaluated(msg('encoding-match.no-content', {}));
    const declared = (resource.declared.encoding ?? dataset.declared.encoding ?? '').trim();
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
