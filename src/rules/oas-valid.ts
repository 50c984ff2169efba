// The 金質獎 bonus: 0.1 point per dataset whose API passes OpenAPI Specification validation (at most 5 per agency).
// The pipeline fetches each declared OpenAPI document once and validates it without following remote $refs.
import { fail, notEvaluated, pass, unsure, type DatasetRule } from './rule.ts';

const HINT = {
  zh: '請提供符合 OpenAPI 規範（Swagger 2.0 或 OAS 3.x）的 API 說明文件，並修正所列錯誤。',
  en: 'Publish an API description that validates as OpenAPI (Swagger 2.0 or OAS 3.x), fixing the errors listed.',
};

export const oasValid: DatasetRule = {
  id: 'oas-valid',
  scope: 'dataset',
  title: { zh: 'API 符合 OpenAPI 規範', en: 'API passes OpenAPI validation' },
  docs: 'src/rules/oas-valid.md',
  source: '政府資料開放優質標章 (2017) 加分: 每一資料集 API 通過 OAS 驗證加 0.1 分，至多 5 分',
  check({ oas }) {
    if (oas.length === 0) return notEvaluated('no OpenAPI document is declared for this dataset');
    const problems: string[] = [];
    let transient = false;
    for (const o of oas) {
      if (o.fetch.kind !== 'ok') {
        problems.push(`${o.url}: could not be fetched (${o.fetch.kind}${o.fetch.status ? ` ${o.fetch.status}` : ''})`);
        transient ||= o.fetch.transient;
      } else if (!o.report?.valid) {
        const errs = (o.report?.errors ?? []).slice(0, 3).map((e) => `${e.pointer || '/'}: ${e.message}`).join('; ');
        problems.push(`${o.url}: invalid${o.report?.version ? ` OpenAPI ${o.report.version}` : ''} — ${errs || 'not an OpenAPI document'}`);
      }
    }
    if (problems.length === 0) {
      return pass(oas.map((o) => `${o.url}: valid OpenAPI ${o.report?.version ?? ''}`.trim()).join('; '));
    }
    const detail = { documents: oas.map((o) => ({ url: o.url, valid: o.report?.valid ?? false, errors: o.report?.errors.slice(0, 10) ?? [] })) };
    return transient ? unsure(problems.join('; '), HINT, detail) : fail(problems.join('; '), HINT, detail);
  },
};
