// Property tests: whatever the body, the JSON and XML inspectors return facts, never throw, and never fall back
// to their internal "could not be inspected" safety net. For JSON, our own scanner must agree with JSON.parse.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inspectJson } from '../../src/inspect/tree/json.ts';
import type { JsonFacts } from '../../src/inspect/tree/json.ts';
import { locateJsonError } from '../../src/inspect/tree/json-syntax.ts';
import { lineColumnAt } from '../../src/inspect/tree/json-position.ts';
import { inspectXml } from '../../src/inspect/tree/xml.ts';

const RUNS = 300;
const fixtureRoot = path.resolve(import.meta.dirname, '../../fixtures/inspect');
const load = (dir: string): string[] =>
  readdirSync(path.join(fixtureRoot, dir))
    .filter((f) => !f.endsWith('.md'))
    .map((f) => readFileSync(path.join(fixtureRoot, dir, f), 'utf8'));
const jsonFixtures = load('json');
const xmlFixtures = load('xml');

/** A fixture with a few random edits: deletions, insertions, truncation, duplicated slices. */
function mutated(sources: string[], alphabet: string[]): fc.Arbitrary<string> {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 4 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  );
  return fc.tuple(fc.constantFrom(...sources), fc.array(edit, { minLength: 1, maxLength: 4 })).map(([src, edits]) => {
    let s = src;
    for (const e of edits) {
      const at = s.length === 0 ? 0 : e.at % (s.length + 1);
      if (e.kind === 'delete') s = s.slice(0, at) + s.slice(at + e.len);
      else if (e.kind === 'insert') s = s.slice(0, at) + e.text + s.slice(at);
      else if (e.kind === 'truncate') s = s.slice(0, at);
      else s = s.slice(0, at) + s.slice(at, at + e.len) + s.slice(at);
    }
    return s;
  });
}

const JSON_ALPHABET = [...'{}[]",:0123456789-+.eE tfrueanl\n\r\t\\u\'/\uFEFF甲'];
const XML_ALPHABET = [...'<>/?!-[]="\' &;:abcxmlDOCTYPECDAT\n甲'];

function checkJson(text: string): void {
  const f: JsonFacts = inspectJson(text);
  expect(Array.isArray(f.fields)).toBe(true);
  if (f.error) expect(f.error.message).not.toMatch(/could not be inspected/);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let valid = true;
  try {
    JSON.parse(body);
  } catch {
    valid = false;
  }
  if (valid) {
    expect(f.ok).toBe(true);
    expect(locateJsonError(body)).toBeNull();
    return;
  }
  if (f.shape === 'jsonl' && f.ok) return; // several valid lines: JSON Lines, not one JSON value
  expect(f.ok).toBe(false);
  // Our scanner found the error itself (no fallback to the engine's wording) and placed it consistently.
  expect(f.error?.offset).toBeDefined();
  const { offset, line, column } = f.error ?? {};
  expect(offset).toBeGreaterThanOrEqual(0);
  expect(offset).toBeLessThanOrEqual(body.length);
  if (f.shape !== 'jsonl') expect(lineColumnAt(body, offset ?? 0)).toEqual({ line, column });
}

function checkXml(text: string): void {
  const f = inspectXml(text);
  expect(typeof f.ok).toBe('boolean');
  expect(Array.isArray(f.fields)).toBe(true);
  if (f.error) expect(f.error.message).not.toMatch(/could not be inspected/);
  if (!f.ok) expect(f.error?.message).toBeTruthy();
  if (f.recordCount !== undefined) expect(f.recordCount).toBeGreaterThanOrEqual(1);
}

describe('fuzz: nothing throws', () => {
  it('inspectJson on random strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 120 }), fc.string({ unit: fc.constantFrom(...JSON_ALPHABET), maxLength: 120 })), checkJson),
      { numRuns: RUNS },
    );
  });

  it('inspectJson on mutated fixtures', () => {
    fc.assert(fc.property(mutated(jsonFixtures, JSON_ALPHABET), checkJson), { numRuns: RUNS });
  });

  it('inspectJson and the scanner accept every valid JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2), (v, indent) => {
        const text = JSON.stringify(v, null, indent);
        expect(locateJsonError(text)).toBeNull();
        expect(inspectJson(text).ok).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('inspectXml on random strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 120 }), fc.string({ unit: fc.constantFrom(...XML_ALPHABET), maxLength: 120 })), checkXml),
      { numRuns: RUNS },
    );
  });

  it('inspectXml on mutated fixtures', () => {
    fc.assert(fc.property(mutated(xmlFixtures, XML_ALPHABET), checkXml), { numRuns: RUNS });
  });

  it('each inspector on the other one\'s fixtures', () => {
    for (const t of xmlFixtures) checkJson(t);
    for (const t of jsonFixtures) checkXml(t);
  });
});
