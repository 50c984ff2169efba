// 主要欄位說明 matches the file's fields. Strictness (exact set vs declared ⊆ actual) is a ruleset option because
// the official behaviour for subsets is not public (badge-rules.md §4).
import { compareFields } from '../inspect/fields.ts';
import { fail, notEvaluated, opt, pass, type ResourceRule } from './rule.ts';

export const fieldsMatch: ResourceRule = {
  id: 'fields-match',
  scope: 'resource',
  title: { zh: '主要欄位說明與資料相符', en: 'Declared fields match' },
  docs: 'src/rules/fields-match.md',
  source: '政府資料開放優質標章 (2017) 易於理解; official checker field desc_match',
  check({ dataset, resource, facts, options }) {
    if (!facts) return notEvaluated('nothing to inspect');
    if ((facts.format === 'zip' || facts.format === 'kmz') && opt<'judge-entries' | 'not-evaluated'>(options, 'archives', 'judge-entries') === 'not-evaluated') {
      return notEvaluated(`${facts.format.toUpperCase()} archives are not opened under this ruleset (archives: not-evaluated)`);
    }
    const declared = (resource.declared.fields ?? dataset.declared.fields ?? '').trim();
    if (!declared) {
      return fail(`no 主要欄位說明 declared; the file has ${facts.fields?.length ?? 0} field(s)`, {
        zh: '請於詮釋資料填寫主要欄位說明，以「、」分隔，與檔案欄位名稱一致。',
        en: 'Declare the main fields in the metadata, separated by 、, matching the file\'s field names.',
      }, { actual: facts.fields ?? [] });
    }
    const strictness = opt(options, 'strictness', 'exact' as 'exact' | 'subset');
    // A ZIP of several tables: each entry's fields against the declaration, as if it were published on its own.
    const entries = (facts.parts ?? []).filter((p) => p.fields?.length);
    if ((facts.format === 'zip' || facts.format === 'kmz') && entries.length > 1) {
      const judged = entries.map((p) => ({ entry: p.name, ...compareFields(declared, p.fields!, strictness) }));
      const wrong = judged.filter((j) => !j.match);
      const detail = { strictness, entries: judged.map(({ entry, missing, extra, match }) => ({ entry, match, missing, extra })) };
      if (wrong.length === 0) return pass(`every one of the ${judged.length} entries' fields matches the declared list`, detail);
      const describe = (j: (typeof judged)[number]) => [
        j.missing.length ? `declared but not in the file: ${j.missing.join('、')}` : '',
        j.extra.length && strictness === 'exact' ? `in the file but not declared: ${j.extra.join('、')}` : '',
      ].filter(Boolean).join('; ');
      return fail(`${wrong.length} of ${judged.length} entries do not match the declared fields: ${wrong.slice(0, 3).map((j) => `${j.entry}: ${describe(j)}`).join(' | ')}`, {
        zh: '壓縮檔內每個檔案的欄位都須與主要欄位說明一致；請更新詮釋資料或檔案標題列。',
        en: 'Every file in the archive must have the declared fields; update the metadata or the header rows.',
      }, detail);
    }
    // One table in a ZIP (beside documents, say): its fields.
    const fields = facts.fields?.length ? facts.fields : entries[0]?.fields;
    if (!fields || fields.length === 0) {
      const evidence = `no field names found in the ${facts.format} content`;
      if (opt<'not-evaluated' | 'fail'>(options, 'noFields', 'not-evaluated') === 'not-evaluated') return notEvaluated(evidence);
      return fail(`${evidence} to compare with the declared 主要欄位說明`, {
        zh: '檔案內容沒有可比對的欄位名稱；請以具標題列的結構化格式提供資料。',
        en: 'The content has no field names to compare; publish the data in a structured format with a header row.',
      }, { actual: [] });
    }
    const r = compareFields(declared, fields, strictness);
    const detail = { strictness, missing: r.missing, extra: r.extra, actual: fields };
    if (r.match) {
      return pass(`all ${fields.length} field(s) match the declared list${r.extra.length ? ` (extra in file: ${r.extra.join('、')})` : ''}`, detail);
    }
    const parts: string[] = [];
    if (r.missing.length) parts.push(`declared but not in the file: ${r.missing.join('、')}`);
    if (r.extra.length && strictness === 'exact') parts.push(`in the file but not declared: ${r.extra.join('、')}`);
    return fail(parts.join('; '), {
      zh: '主要欄位說明須與檔案欄位名稱一致（可用「中文名(英文名)」）；請更新詮釋資料或檔案標題列。',
      en: 'The declared fields must equal the file\'s field names (a 中文名(alias) form is accepted); update the metadata or the header row.',
    }, detail);
  },
};
