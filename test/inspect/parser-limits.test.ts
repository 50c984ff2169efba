// The inspection limits as data (src/inspect/limits.ts) and the text parsers against them: XML nesting, attributes
// and text; JSON nesting and strings; CSV records and fields; OpenAPI/YAML size, alias expansion and nesting. A limit
// reached by a well-formed document leaves it well-formed but not structured (fail, naming the limit).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectResource } from '../../src/inspect/index.ts';
import { DEFAULT_INSPECT_LIMITS, LIMIT_NAMES, parseLimitAssignments, resolveLimits } from '../../src/inspect/limits.ts';
import { inspectJson } from '../../src/inspect/tree/json.ts';
import { validateOpenApi } from '../../src/inspect/openapi/index.ts';
import { inspectStream } from '../../src/inspect/stream.ts';
import { inspectXml } from '../../src/inspect/tree/xml.ts';
import { runRule } from '../../src/rules/rule.ts';
import { structured } from '../../src/rules/structured.ts';
import { fixturesDir, repoRoot } from './corpora.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const verdictOf = (facts: Awaited<ReturnType<typeof inspectResource>>) => runRule(structured, { facts, options: {} } as never);

describe('limits as data', () => {
  it('every default carries its reason on the line above it', () => {
    const source = readFileSync(path.join(repoRoot, 'src/inspect/limits.ts'), 'utf8');
    const defaults = source.slice(source.indexOf('export const DEFAULT_INSPECT_LIMITS'));
    const lines = defaults.split('\n');
    expect(LIMIT_NAMES).toHaveLength(30);
    for (const name of LIMIT_NAMES) {
      const at = lines.findIndex((l) => l.trimStart().startsWith(`${name}:`));
      expect(at, name).toBeGreaterThan(0);
      expect(lines[at - 1].trimStart(), name).toMatch(/^\/\/ \S/);
    }
  });

  it('defaults, then ODBADGE_LIMITS, then the caller; unknown names and bad values are refused with their source', () => {
    expect(resolveLimits(undefined, undefined)).toEqual(DEFAULT_INSPECT_LIMITS);
    expect(resolveLimits(undefined, 'maxCellChars=2000000, maxZipRatio=500').maxCellChars).toBe(2000000);
    expect(resolveLimits({ maxCellChars: 3 }, 'maxCellChars=2000000')).toMatchObject({ maxCellChars: 3, maxZipRatio: 200 });
    expect(parseLimitAssignments('maxCells=10;maxColumns=20 maxXmlDepth=30')).toEqual({ maxCells: 10, maxColumns: 20, maxXmlDepth: 30 });
    expect(() => resolveLimits(undefined, 'maxCelChars=1')).toThrow(/^ODBADGE_LIMITS: unknown limit "maxCelChars" \(known: maxCellChars, /);
    expect(() => parseLimitAssignments('maxCells', '--limit')).toThrow('--limit: "maxCells" is not name=number');
    expect(() => resolveLimits({ maxCells: 0 }, undefined)).toThrow('limit maxCells must be a positive number, got 0');
  });

  it('inspectResource reads ODBADGE_LIMITS (so audit and ci honour it) and says so when it is wrong', async () => {
    const saved = process.env.ODBADGE_LIMITS;
    try {
      process.env.ODBADGE_LIMITS = 'maxJsonDepth=2';
      expect((await inspectResource({ body: enc('[[[1]]]') })).limits?.map((h) => h.name)).toEqual(['maxJsonDepth']);
      process.env.ODBADGE_LIMITS = 'maxJsonDepth=two';
      const bad = await inspectResource({ body: enc('[1]') });
      expect(bad.structured).toBeNull();
      expect(bad.structuralErrors[0].message).toBe('inspection failed: ODBADGE_LIMITS: "maxJsonDepth=two" is not name=number');
    } finally {
      if (saved === undefined) delete process.env.ODBADGE_LIMITS;
      else process.env.ODBADGE_LIMITS = saved;
    }
  });
});

describe('XML', () => {
  it('300 levels of nesting: well-formed, past maxXmlDepth, so not structured', async () => {
    const text = '<a>'.repeat(300) + '</a>'.repeat(300);
    expect(inspectXml(text)).toMatchObject({ ok: true, root: 'a', limit: { name: 'maxXmlDepth', limit: 256, observed: 300, where: 'line 1, column 898' } });
    const facts = await inspectResource({ body: enc(text) });
    expect(facts.structured).toBe(false);
    expect(facts.structuralErrors.map((e) => e.type)).toEqual(['limit-exceeded']);
    const v = verdictOf(facts);
    expect(v.verdict).toBe('fail');
    expect(v.evidence).toBe(
      'xml: stopped at the inspection limit maxXmlDepth = 256 (the file reaches 300): elements nest 300 levels deep (the deepest at line 1, column 898); raise it with --limit maxXmlDepth=<n> (inspect) or ODBADGE_LIMITS="maxXmlDepth=<n>" (any command)',
    );
    expect((await inspectResource({ body: enc(text), limits: { maxXmlDepth: 300 } })).structured).toBe(true);
  });

  it('an element with 1,001 attributes, and a 1,001-character text or attribute value under a lowered limit', async () => {
    const attrs = Array.from({ length: 1001 }, (_, i) => ` a${i}="${i}"`).join('');
    expect((await inspectResource({ body: enc(`<r><row${attrs}/><row a0="1"/></r>`) })).limits?.map((h) => [h.name, h.observed])).toEqual([['maxXmlAttributes', 1001]]);
    const long = 'x'.repeat(1001);
    for (const body of [`<r><v>${long}</v><v>1</v></r>`, `<r><v k="${long}"/><v k="1"/></r>`, `<r><v><![CDATA[${long}]]></v><v>1</v></r>`]) {
      const facts = await inspectResource({ body: enc(body), limits: { maxXmlTextChars: 1000 } });
      expect(facts.limits?.map((h) => [h.name, h.observed]), body.slice(0, 20)).toEqual([['maxXmlTextChars', 1001]]);
      expect((await inspectResource({ body: enc(body), limits: { maxXmlTextChars: 1001 } })).structured).toBe(true);
    }
  });

  it('entities are never expanded: billion laughs, and a DOCTYPE declaring 100,000 entities used 100,000 times, are read as written', async () => {
    const laughs = await inspectResource({ body: new Uint8Array(readFileSync(path.join(fixturesDir, 'xml', 'billion-laughs.xml'))) });
    expect(laughs).toMatchObject({ format: 'xml', structured: true, recordCount: 2 });
    expect(laughs.limits).toBeUndefined();
    const decls = Array.from({ length: 100_000 }, (_, i) => `<!ENTITY e${i} "${'x'.repeat(20)}">`).join('');
    const uses = Array.from({ length: 100_000 }, (_, i) => `<v>&e${i};</v>`).join('');
    const facts = await inspectResource({ body: enc(`<?xml version="1.0"?><!DOCTYPE r [${decls}]><r>${uses}</r>`) });
    expect(facts).toMatchObject({ format: 'xml', structured: true, recordCount: 100000 });
  });

  it('malformed wins over a limit: an unclosed 300-deep document is malformed XML, not a limit hit', async () => {
    const facts = await inspectResource({ body: enc('<a>'.repeat(300)) });
    expect(facts.structuralErrors.map((e) => e.type)).toEqual(['malformed-xml']);
    expect(facts.limits).toBeUndefined();
  });
});

describe('JSON', () => {
  it('300 levels of nesting: well-formed (ok), past maxJsonDepth, so not structured', async () => {
    const text = '['.repeat(300) + ']'.repeat(300);
    expect(inspectJson(text)).toMatchObject({ ok: true, shape: 'array', limit: { name: 'maxJsonDepth', limit: 256, observed: 257, where: 'line 1, column 257' } });
    const facts = await inspectResource({ body: enc(text) });
    expect(facts.structured).toBe(false);
    expect(verdictOf(facts).evidence).toMatch(/^json: stopped at the inspection limit maxJsonDepth = 256 \(the file reaches 257\): arrays and objects nest more than 256 levels deep \(line 1, column 257\)/);
  });

  it('a string longer than maxJsonStringChars, member names and escaped quotes included; a malformed deep text stays malformed', async () => {
    const v = `a\\"${'b'.repeat(100)}`;
    expect((await inspectResource({ body: enc(`[{"k":"${v}"},{"k":"c"}]`), limits: { maxJsonStringChars: 100 } })).limits?.map((h) => [h.name, h.observed, h.where])).toEqual([['maxJsonStringChars', 103, 'line 1, column 7']]);
    expect((await inspectResource({ body: enc(`[{"${'k'.repeat(101)}":1}]`), limits: { maxJsonStringChars: 100 } })).limits?.[0].name).toBe('maxJsonStringChars');
    expect((await inspectResource({ body: enc(`[{"k":"${v}"},{"k":"c"}]`), limits: { maxJsonStringChars: 103 } })).structured).toBe(true);
    const open = await inspectResource({ body: enc('['.repeat(300)) });
    expect(open.structuralErrors.map((e) => e.type)).toEqual(['malformed-json']);
    expect(open.limits).toBeUndefined();
  });
});

describe('CSV', () => {
  it('a record larger than maxCsvRecordChars stops reading with the limit named (no second source error)', async () => {
    const facts = await inspectResource({ body: enc(`a,b\n1,"${'x'.repeat(2000)}\n2,3\n`), limits: { maxCsvRecordChars: 1000 } });
    expect(facts.structured).toBe(false);
    expect(facts.limits).toEqual([{ name: 'maxCsvRecordChars', limit: 1000, where: 'row 2', message: 'row 2 is larger than 1000 characters (a quote that never closes?)' }]);
    expect(facts.structuralErrors.map((e) => e.type)).toEqual(['limit-exceeded']);
  });

  it('a record with more fields than maxColumns, streamed or whole', async () => {
    const text = `a,b\n1,2\n${Array.from({ length: 30 }, (_, i) => i).join(',')}\n`;
    const whole = await inspectResource({ body: enc(text), limits: { maxColumns: 20 } });
    expect(whole.limits).toEqual([{ name: 'maxColumns', limit: 20, observed: 30, where: 'row 3', message: 'row 3 has 30 fields' }]);
    async function* chunks() {
      yield enc(text);
    }
    const streamed = await inspectStream(chunks(), {}, { limits: { maxColumns: 20 } });
    expect(streamed.limits).toEqual(whole.limits);
    expect(streamed.structured).toBe(false);
  });
});

describe('OpenAPI / YAML', () => {
  it('the alias bomb, the depth and the size refusals name their limit and how to raise it', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const bomb = await validateOpenApi(`openapi: 3.0.0\n${levels.join('\n')}\n`);
    expect(bomb.errors[0].message).toBe('document expands to more than 2000000 nodes (YAML aliases?; limit maxYamlNodes; raise it with --limit maxYamlNodes=<n> (inspect) or ODBADGE_LIMITS="maxYamlNodes=<n>" (any command))');
    const deep = await validateOpenApi(`{"openapi":"3.0.0","x":${'['.repeat(60)}${']'.repeat(60)}}`, { limits: { maxOpenApiDepth: 50 } });
    expect(deep.errors[0].message).toMatch(/^document is nested more than 50 levels deep \(limit maxOpenApiDepth; raise it with --limit maxOpenApiDepth=<n>/);
    const big = await validateOpenApi(`{"openapi":"3.0.0","x":"${'y'.repeat(100)}"}`, { limits: { maxOpenApiChars: 50 } });
    expect(big.errors[0].message).toMatch(/^document is too large to validate \(126 characters; limit maxOpenApiChars = 50;/);
  });
});
