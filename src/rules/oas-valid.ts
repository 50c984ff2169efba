// The 金質獎 bonus: 0.1 point per dataset whose API passes OpenAPI Specification validation (at most 5 per agency).
// The pipeline fetches each declared OpenAPI document once and validates it without following remote $refs.
import { msg, type OasProblem } from '../messages/index.ts';
import { option } from './options.ts';
import { datasetRule, fail, notEvaluated, pass, unsure } from './rule.ts';

export const oasValid = datasetRule({
  id: 'oas-valid',
  scope: 'dataset',
  title: { zh: 'API 符合 OpenAPI 規範', en: 'API passes OpenAPI validation' },
  docs: 'src/rules/oas-valid.md',
  source: '政府資料開放優質標章 (2017) 加分: 每一資料集 API 通過 OAS 驗證加 0.1 分，至多 5 分',
  options: {
    // Not a choice: a portal's document must not make odbadge fetch arbitrary URLs. Declared so a ruleset may
    // state it (the bundled ones do) and readers of the schema see it; any other value is rejected.
    followRemoteRefs: option.fixed(false, 'Remote $refs are never followed (a catalogue must not make odbadge fetch arbitrary URLs); stated for the reader, only false is accepted.'),
  },
  check({ oas }) {
    if (oas.length === 0) return notEvaluated(msg('oas-valid.none', {}));
    const problems: OasProblem[] = [];
    let transient = false;
    for (const o of oas) {
      if (o.fetch.kind !== 'ok') {
        problems.push({ url: o.url, fetch: { kind: o.fetch.kind, ...(o.fetch.status ? { status: o.fetch.status } : {}) } });
        transient ||= o.fetch.transient;
      } else if (!o.report?.valid) {
        problems.push({ url: o.url, invalid: { ...(o.report?.version ? { version: o.report.version } : {}), errors: (o.report?.errors ?? []).slice(0, 3) } });
      }
    }
    if (problems.length === 0) {
      return pass(msg('oas-valid.valid', { documents: oas.map((o) => ({ url: o.url, ...(o.report?.version ? { version: o.report.version } : {}) })) }));
    }
    const detail = { documents: oas.map((o) => ({ url: o.url, valid: o.report?.valid ?? false, errors: o.report?.errors.slice(0, 10) ?? [] })) };
    return (transient ? unsure : fail)(msg('oas-valid.invalid', { problems }), detail);
  },
});
