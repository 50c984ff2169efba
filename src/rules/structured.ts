// 屬結構化資料: fixed-column tables without structural errors, or well-formed JSON/XML (badge-rules.md §3).
import { msg } from '../messages/index.ts';
import type { ResourceFacts } from '../model.ts';
import { option } from './options.ts';
import { fail, notEvaluated, pass, resourceRule, unsure } from './rule.ts';

/** The inspector's conclusion as message parameters: its message, or (facts recorded by an older odbadge) its text. */
const why = (facts: ResourceFacts) => (facts.structuredRef ? { why: facts.structuredRef } : { evidence: facts.structuredEvidence });

export const structured = resourceRule({
  id: 'structured',
  scope: 'resource',
  title: { zh: '屬結構化資料', en: 'Structured data' },
  docs: 'src/rules/structured.md',
  source: '政府資料開放優質標章 (2017) 易於被處理',
  options: {
    structuredFormats: option.list<string>([], 'Detected formats that may count as structured data (csv, json, xlsx …); another format fails. Empty: no list, the inspector alone decides.'),
    subtotalRowsFail: option.boolean(true, 'A subtotal or total row (小計, 合計) among the records is a structural error.'),
    titleRowFails: option.boolean(true, 'A title line above the header is a structural error.'),
    archives: option.oneOf(['judge-entries', 'not-evaluated'], 'judge-entries', 'ZIP/KMZ: judged by their entries (odbadge), or not evaluated (the 2017 platform checker: structure 2).'),
  },
  check({ facts, options }) {
    if (!facts) return notEvaluated(msg('structured.no-content', {}));
    if ((facts.format === 'zip' || facts.format === 'kmz') && options.archives === 'not-evaluated') {
      return notEvaluated(msg('structured.archive-not-opened', { format: facts.format }));
    }
    const ignore = new Set<string>();
    if (!options.subtotalRowsFail) ignore.add('subtotal-row');
    if (!options.titleRowFails) ignore.add('title-row');
    const errors = facts.structuralErrors.filter((e) => !ignore.has(e.type));
    const formats = options.structuredFormats;
    if (formats.length && !formats.includes(facts.format)) {
      return fail(msg('structured.not-data-format', { format: facts.format, sniffed: facts.formatEvidence }), { format: facts.format });
    }
    // A limit is a deterministic property of the file (the same bytes reach it every time): fail, never unsure.
    if (facts.limits?.length) {
      const [first, ...more] = facts.limits;
      return fail(msg('structured.limit', { format: facts.format, first, more: more.map((h) => h.name) }), { limits: facts.limits.slice(0, 10) });
    }
    if (errors.length) {
      const counts: Record<string, number> = {};
      for (const e of errors) counts[e.type] = (counts[e.type] ?? 0) + 1;
      const shown = errors.slice(0, 5).map((e) => ({ type: e.type, row: e.row, field: e.field, ...(e.cell !== undefined ? { cell: e.cell } : {}) }));
      return fail(msg('structured.errors', { format: facts.format, total: errors.length, shown }), { counts, errors: errors.slice(0, 20) });
    }
    if (facts.structured === true) return pass(msg('structured.ok', { format: facts.format, ...why(facts) }));
    if (facts.structured === false) return fail(msg('structured.not-structured', { format: facts.format, ...why(facts) }));
    return unsure(msg('structured.unjudged', { format: facts.format, ...why(facts) }));
  },
});
