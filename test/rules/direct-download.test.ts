// direct-download's case table: whether what came back is the data itself.
import { describe, expect, it } from 'vitest';
import type { FetchOutcome, ResourceFacts } from '../../src/model.ts';
import { outcome, resourceCheck } from './helpers.ts';

type Case = [string, Partial<FetchOutcome>, Partial<ResourceFacts> | undefined, Record<string, unknown> | undefined, ReturnType<typeof outcome>];
const check = (fetch: Partial<FetchOutcome>, facts?: Partial<ResourceFacts>, options?: Record<string, unknown>) => resourceCheck('direct-download', { fetch, facts, options });

describe('direct-download: the data itself', () => {
  it.each<Case>([
    ['a CSV', {}, {}, undefined, { verdict: 'pass', code: 'direct-download.ok', hint: false }],
    ['a CSV served as text/html', { contentType: 'text/html; charset=utf-8' }, {}, undefined, { verdict: 'pass', code: 'direct-download.ok', hint: false }],
    ['a message body under errorBodyFails: false', {}, { notData: { kind: 'no-data-text', excerpt: '查無資料' } }, { errorBodyFails: false }, { verdict: 'pass', code: 'direct-download.ok', hint: false }],
  ])('%s', (_, f, fx, options, expected) => {
    expect(outcome(check(f, fx, options))).toEqual(expected);
  });

  it('the evidence says what came back, and that text/html was data', () => {
    const r = check({ contentType: 'text/html; charset=utf-8', bytes: 512 }, {});
    expect(r.evidence).toBe('HTTP 200, 512 bytes of csv served as text/html; charset=utf-8; the content is data');
    expect(r.message?.zh).toBe('HTTP 200，取得 512 位元組的 csv 資料；伺服器標示為 text/html; charset=utf-8，但內容確為資料');
  });
});

describe('direct-download: not the data', () => {
  it.each<Case>([
    ['an empty body', { bytes: 0 }, { format: 'empty' }, undefined, { verdict: 'fail', code: 'direct-download.empty', hint: true }],
    ['nothing inspected after a time-out', { kind: 'timeout', transient: true }, undefined, undefined, { verdict: 'unsure', code: 'direct-download.unreadable', hint: true }],
    ['a login page', {}, { format: 'html', notData: { kind: 'login-page', excerpt: '會員登入' } }, undefined, { verdict: 'fail', code: 'direct-download.login', hint: true }],
    ['HTML after a redirect to a login URL', { redirects: [{ status: 302, location: 'https://sso.example/login' }], finalUrl: 'https://sso.example/login' }, { format: 'html' }, undefined, { verdict: 'fail', code: 'direct-download.login', hint: true }],
    ['a landing page', { contentType: 'text/html' }, { format: 'html', notData: { kind: 'html-page', excerpt: '工會團體名冊 - 勞動部' } }, undefined, { verdict: 'fail', code: 'direct-download.html', hint: true }],
    ['查無資料 (errorBodyFails: true, the default)', {}, { notData: { kind: 'no-data-text', excerpt: '查無資料' } }, undefined, { verdict: 'fail', code: 'direct-download.message', hint: true }],
  ])('%s', (_, f, fx, options, expected) => {
    expect(outcome(check(f, fx, options))).toEqual(expected);
  });

  it('a landing page: its title quoted, the official checker named in the fix', () => {
    const r = check({ contentType: 'text/html' }, { format: 'html', notData: { kind: 'html-page', excerpt: '工會團體名冊 - 勞動部' } });
    expect(r.evidence).toBe('an HTML page answered (text/html) instead of the data: "工會團體名冊 - 勞動部"');
    expect(r.message?.zh).toBe('回應的是 HTML 網頁而非資料：「工會團體名冊 - 勞動部」');
    expect(r.hint?.zh).toContain('[001] download_file(): cannot download directly.');
    expect(r.detail).toEqual({ contentType: 'text/html' });
  });
});
