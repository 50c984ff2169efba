// What scripts/generate-docs.ts writes, as pure functions so tests compare the committed files with them:
// docs/codes.md from the message catalogue, and schemas/ruleset.schema.json with its options generated from the rules.
import { CATALOGUE, fixOf, render, type MessageDef, type MessageKind, type MessageRef } from '../src/messages/index.ts';
import { RULES } from '../src/rules/index.ts';
import { rulesetOptionsSchema } from '../src/rules/schema.ts';
import { mdEscape } from '../src/util/markdown.ts';

/** Examples are rendered as a data.gov.tw reader sees them. */
const EXAMPLE_ZONE = 'Asia/Taipei';

const SECTIONS: { kind: MessageKind; title: string; intro: string }[] = [
  { kind: 'indicator', title: 'Indicator verdicts', intro: "`code` of each indicator in results.json (`datasets[].indicators`, `resources[].indicators`), by rule. A dataset's indicator combined from its resources carries the deciding resource's code." },
  { kind: 'finding', title: 'Findings', intro: 'Problems with a catalogue entry, or seen across audits (`datasets[].findings[].code`).' },
  { kind: 'structural-error', title: 'Structural errors', intro: 'Table-structure errors (`facts.structuralErrors[].type`), named as frictionless names them where it has a name.' },
  { kind: 'inspection', title: 'Inspection conclusions', intro: 'Why an inspector judged a body structured or not (`facts.structuredRef.code`); the structured rule quotes them.' },
  { kind: 'encoding', title: 'Encoding reasons', intro: 'Why a declared 編碼格式 does or does not describe the bytes; the encoding-match rule quotes them.' },
];

const cell = (s: string) => mdEscape(s);

function row(code: string, def: MessageDef<unknown>): string {
  const ref: MessageRef = { code, params: def.example as object };
  const zh = render(ref, 'zh', { timeZone: EXAMPLE_ZONE });
  const en = render(ref, 'en', { timeZone: EXAMPLE_ZONE });
  const fix = fixOf(ref, { timeZone: EXAMPLE_ZONE });
  return `| \`${code}\` | ${cell(def.description)} | ${cell(zh)}<br>${cell(en)} | ${fix ? `${cell(fix.zh)}<br>${cell(fix.en)}` : '—'} |`;
}

/** docs/codes.md */
export function codesMarkdown(): string {
  const entries = Object.entries(CATALOGUE) as [string, MessageDef<unknown>][];
  const L: string[] = [
    '# odbadge message codes',
    '',
    '<!-- Generated from src/messages by `npm run docs` (scripts/generate-docs.ts); test/messages/catalogue.test.ts fails when it is stale. -->',
    '',
    'Every verdict, finding and structural error odbadge reports has a stable code and a message in Traditional Chinese',
    'and English, rendered from the same parameters. results.json carries the code, its `params` and the rendered',
    '`message: { zh, en }` (findings: `text: { zh, en }`, beside the English `message` and Chinese `messageZh` they always',
    "had). Times are shown in the portal's time zone with the offset; the examples below are as a data.gov.tw reader",
    `(${EXAMPLE_ZONE}) sees them. The fix is the indicator's \`hint\` when it does not pass.`,
    '',
    ...SECTIONS.map((s) => `- [${s.title}](#${s.title.toLowerCase().replace(/ /g, '-')}) (${entries.filter(([, d]) => d.kind === s.kind).length})`),
  ];
  for (const s of SECTIONS) {
    L.push('', `## ${s.title}`, '', s.intro);
    const mine = entries.filter(([, d]) => d.kind === s.kind);
    const groups = s.kind === 'indicator' ? [...new Set(mine.map(([, d]) => d.rule ?? '*'))] : [undefined];
    for (const g of groups) {
      if (g !== undefined) {
        const rule = RULES.get(g);
        L.push('', rule ? `### \`${g}\` — ${rule.title.zh} / ${rule.title.en} ([docs](../${rule.docs}))` : '### The evaluator (gating, resources combined, failures of odbadge)');
      }
      L.push('', '| code | meaning | example (zh-TW / en) | fix |', '|---|---|---|---|');
      for (const [code, def] of mine.filter(([, d]) => g === undefined || (d.rule ?? '*') === g)) L.push(row(code, def));
    }
  }
  return L.join('\n') + '\n';
}

/** schemas/ruleset.schema.json with `properties.options` generated from the rules. */
export function rulesetSchema(current: Record<string, unknown>): Record<string, unknown> {
  const properties = current.properties as Record<string, unknown>;
  return { ...current, properties: { ...properties, options: rulesetOptionsSchema() } };
}
