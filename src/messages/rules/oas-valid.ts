// oas-valid (the 金質獎 bonus): the dataset's declared OpenAPI documents validate.
import { define } from '../types.ts';

const rule = 'oas-valid';

export interface OasProblem {
  url: string;
  /** The document could not be fetched. */
  fetch?: { kind: string; status?: number };
  /** It was fetched and is not valid: its version and first errors. */
  invalid?: { version?: string; errors: { pointer: string; message: string }[] };
}

export const OAS_VALID_MESSAGES = {
  'oas-valid.valid': define<{ documents: { url: string; version?: string }[] }>({
    kind: 'indicator', rule,
    description: 'Every declared OpenAPI document validates (Swagger 2.0, OAS 3.0, 3.1).',
    en: (p) => p.documents.map((d) => `${d.url}: valid OpenAPI ${d.version ?? ''}`.trim()).join('; '),
    zh: (p) => p.documents.map((d) => `${d.url}：通過 OpenAPI${d.version ? ` ${d.version}` : ''} 驗證`).join('；'),
    example: { documents: [{ url: 'https://data.example.gov.tw/openapi.json', version: '3.0' }] },
  }),
  'oas-valid.invalid': define<{ problems: OasProblem[] }>({
    kind: 'indicator', rule,
    description: 'A declared OpenAPI document does not validate (first errors with their JSON pointers) or could not be fetched (unsure when that is transient).',
    en: (p) =>
      p.problems
        .map((o) =>
          o.fetch
            ? `${o.url}: could not be fetched (${o.fetch.kind}${o.fetch.status ? ` ${o.fetch.status}` : ''})`
            : `${o.url}: invalid${o.invalid?.version ? ` OpenAPI ${o.invalid.version}` : ''} — ${o.invalid?.errors.map((e) => `${e.pointer || '/'}: ${e.message}`).join('; ') || 'not an OpenAPI document'}`,
        )
        .join('; '),
    // Validator messages are English; the Chinese text names where the errors are (JSON pointers), not what they say.
    zh: (p) =>
      p.problems
        .map((o) =>
          o.fetch
            ? `${o.url}：無法下載（${o.fetch.kind}${o.fetch.status ? ` ${o.fetch.status}` : ''}）`
            : o.invalid?.errors.length
              ? `${o.url}：未通過${o.invalid.version ? ` OpenAPI ${o.invalid.version}` : ''} 驗證，錯誤位置：${o.invalid.errors.map((e) => e.pointer || '/').join('、')}`
              : `${o.url}：不是 OpenAPI 文件`,
        )
        .join('；'),
    fix: {
      zh: () => '請提供符合 OpenAPI 規範（Swagger 2.0 或 OAS 3.x）的 API 說明文件，並修正所列錯誤。',
      en: () => 'Publish an API description that validates as OpenAPI (Swagger 2.0 or OAS 3.x), fixing the errors listed.',
    },
    example: { problems: [{ url: 'https://data.example.gov.tw/openapi.json', invalid: { version: '3.0', errors: [{ pointer: '/info', message: "must have required property 'version'" }] } }] },
  }),
  'oas-valid.none': define<Record<string, never>>({
    kind: 'indicator', rule,
    description: 'No OpenAPI document is declared for the dataset: the bonus does not apply.',
    en: () => 'no OpenAPI document is declared for this dataset',
    zh: () => '此資料集未提供 OpenAPI 文件',
    example: {},
  }),
};
