// Verdicts the evaluator (src/score/evaluate.ts) and the pipeline give themselves: gating, a dataset's resources
// combined, a dataset without resources, a dataset odbadge failed on.
import type { MessageRef } from '../types.ts';
import { define } from '../types.ts';

const rule = '*';

export const EVALUATE_MESSAGES = {
  'gated': define<{ after: string }>({
    kind: 'indicator', rule,
    description: 'An earlier gate did not pass (link → download → structure → encoding/fields, as the official checker gates), so this indicator is not evaluated.',
    en: (p) => `not evaluated: ${p.after} did not pass`,
    zh: (p) => `未檢測：前一關「${p.after}」未通過`,
    example: { after: 'link-valid' },
  }),
  'all-resources-pass': define<{ resources: number }>({
    kind: 'indicator', rule,
    description: "Every resource of the dataset passes the indicator (a dataset's verdict is its worst resource's).",
    en: (p) => `all ${p.resources} resources pass`,
    zh: (p) => `${p.resources} 個資料資源全部通過`,
    example: { resources: 3 },
  }),
  'worst-resource': define<{ passed: number; resources: number; indicator: string; index: number; url: string; inner: MessageRef }>({
    kind: 'indicator', rule,
    description: "A dataset's verdict when its resources differ: the worst resource's, named with its message. The dataset's indicator carries that resource's code and params; this code only frames the message.",
    en: (p, f) => `${p.passed} of ${p.resources} resources pass ${p.indicator}; resource ${p.index} (${p.url}): ${f.msg(p.inner)}`,
    zh: (p, f) => `${p.resources} 個資料資源中 ${p.passed} 個通過；第 ${p.index} 個（${p.url}）：${f.msg(p.inner)}`,
    example: { passed: 1, resources: 2, indicator: 'link-valid', index: 2, url: 'https://data.example.gov.tw/b.csv', inner: { code: 'link-valid.http-error', params: { status: 404, redirects: [] } } },
  }),
  'no-resources': define<Record<string, never>>({
    kind: 'indicator', rule,
    description: 'The catalogue lists no resource for the dataset.',
    en: () => 'the catalogue lists no resource for this dataset',
    zh: () => '目錄未列出此資料集的任何資料資源',
    fix: { zh: () => '請提供至少一個資料資源下載網址。', en: () => 'List at least one resource download URL.' },
    example: {},
  }),
  'odbadge-failed': define<{ error: string }>({
    kind: 'indicator', rule,
    description: "odbadge itself failed on the dataset (see the internal-error finding): its resource indicators are unsure.",
    en: (p) => `odbadge failed on this dataset: ${p.error}`,
    zh: () => 'odbadge 處理此資料集時發生內部錯誤，結果未定',
    example: { error: "Cannot read properties of undefined (reading 'includes')" },
  }),
};
