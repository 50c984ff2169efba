// A ZIP is judged by its entries like the files they contain: each entry's detected encoding against the declared
// 編碼格式, each entry's fields against the declared 主要欄位說明, with evidence naming the entry. Under the
// official-compatibility profile the archive is not opened (encoding_match / desc_match 2).
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { inspectResource } from '../../src/inspect/index.ts';
import type { Dataset, FetchOutcome, ResourceFacts } from '../../src/model.ts';
import { encodingMatch } from '../../src/rules/encoding-match.ts';
import { fieldsMatch } from '../../src/rules/fields-match.ts';
import { runRule, type Rule } from '../../src/rules/rule.ts';
import { bundledRuleset, loadRuleset } from '../../src/score/ruleset.ts';
import { buildZip } from '../../src/util/zip-writer.ts';

const big5 = (s: string) => iconv.encode(s, 'big5');
const utf8 = (s: string) => Buffer.from(s, 'utf8');

function dataset(encoding: string, fields: string): Dataset {
  return {
    id: 'z', title: 'ZIP', agency: 'A', source: 'local', declared: { encoding, fields }, whitelisted: false, findings: [],
    resources: [{ id: 'z#1', url: 'https://example.invalid/a.zip', declared: { format: 'ZIP', encoding, fields } }],
  };
}
const fetch = { kind: 'ok' } as FetchOutcome;
const judge = (rule: Rule, facts: ResourceFacts, d: Dataset, rs = loadRuleset()) =>
  runRule(rule, { dataset: d, resource: d.resources[0], fetch, facts, options: rs.options?.[rule.id] ?? {}, now: new Date() });

describe('ZIP entries: encoding', () => {
  it('a Big5 CSV in a ZIP declared UTF-8 fails, naming the entry and the byte, as the same CSV unzipped does', async () => {
    const facts = await inspectResource({ body: buildZip([{ name: '村里人口.csv', data: big5('村名,人口\n大安,100\n') }]) });
    const r = judge(encodingMatch, facts, dataset('UTF-8', '村名、人口'));
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toMatch(/^declared "UTF-8" but 1 of 1 text entry does not match: 村里人口\.csv: declared UTF-8, detected big5: byte 0x\w+ at offset \d+ is not valid UTF-8$/);
    expect(r.code).toBe('encoding-match.archive-mismatch');
    expect(r.message?.zh).toMatch(/^宣告「UTF-8」，但 1 個文字檔中有 1 個不符：村里人口\.csv：/);
    const unzipped = await inspectResource({ body: big5('村名,人口\n大安,100\n'), url: 'a.csv' });
    expect(judge(encodingMatch, unzipped, dataset('UTF-8', '村名、人口')).verdict).toBe('fail');
  });

  it('one Big5 and one UTF-8 CSV declared UTF-8: the Big5 entry is named; declared BIG5 names the other', async () => {
    const body = buildZip([{ name: 'a.csv', data: big5('村名,人口\n大安,1\n') }, { name: 'b.csv', data: utf8('村名,人口\n信義,2\n') }]);
    const facts = await inspectResource({ body });
    const r = judge(encodingMatch, facts, dataset('UTF-8', '村名、人口'));
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toMatch(/^declared "UTF-8" but 1 of 2 text entries do not match: a\.csv: /);
    expect(r.detail).toEqual({ declared: 'UTF-8', entries: [{ entry: 'a.csv', detected: 'big5', match: false }, { entry: 'b.csv', detected: 'utf-8', match: true }] });
    expect(judge(encodingMatch, facts, dataset('BIG5', '村名、人口')).evidence).toMatch(/b\.csv: declared BIG5, but the body is UTF-8/);
  });

  it('UTF-8 entries declared UTF-8 pass; workbooks only fix their own encoding', async () => {
    const facts = await inspectResource({ body: buildZip([{ name: 'a.csv', data: utf8('村名,人口\n大安,1\n') }, { name: 'b.csv', data: utf8('村名,人口\n信義,2\n') }]) });
    expect(judge(encodingMatch, facts, dataset('UTF-8', '村名、人口'))).toMatchObject({ verdict: 'pass', evidence: 'declared "UTF-8"; every text entry matches: a.csv (utf-8), b.csv (utf-8)' });
  });

  it('under the official-compatibility profile the archive is not opened', async () => {
    const facts = await inspectResource({ body: buildZip([{ name: 'a.csv', data: big5('村名,人口\n大安,1\n') }]) });
    expect(judge(encodingMatch, facts, dataset('UTF-8', '村名、人口'), bundledRuleset('tw-ndc-2017-official')).verdict).toBe('not-evaluated');
  });
});

describe('ZIP entries: fields', () => {
  it('two tables with the declared fields pass; "no field names found" is gone', async () => {
    const facts = await inspectResource({ body: buildZip([{ name: 'a.csv', data: big5('村名,人口\n大安,1\n') }, { name: 'b.csv', data: utf8('村名,人口\n信義,2\n') }]) });
    expect(judge(fieldsMatch, facts, dataset('UTF-8', '村名、人口'))).toMatchObject({ verdict: 'pass', evidence: 'every one of the 2 entries\' fields matches the declared list' });
  });

  it('an entry with other fields fails, naming it and what differs', async () => {
    const facts = await inspectResource({ body: buildZip([{ name: 'a.csv', data: utf8('村名,人口\n大安,1\n') }, { name: 'b.csv', data: utf8('村名,面積\n信義,2\n') }]) });
    const r = judge(fieldsMatch, facts, dataset('UTF-8', '村名、人口'));
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toBe('1 of 2 entries do not match the declared fields: b.csv: declared but not in the file: 人口; in the file but not declared: 面積');
  });

  it('one table beside a PDF is compared on its own', async () => {
    const facts = await inspectResource({ body: buildZip([{ name: 'a.csv', data: utf8('村名,人口\n大安,1\n') }, { name: '說明.pdf', data: Buffer.from('%PDF-1.4\n') }]) });
    expect(judge(fieldsMatch, facts, dataset('UTF-8', '村名、人口')).verdict).toBe('pass');
  });
});
