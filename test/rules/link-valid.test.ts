// link-valid's case table: what each fetch outcome comes to — verdict, code and hint — and the evidence in both
// languages for the cases a reader sees most.
import { describe, expect, it } from 'vitest';
import type { FetchOutcome } from '../../src/model.ts';
import { outcome, resourceCheck } from './helpers.ts';

const check = (fetch: Partial<FetchOutcome>, options?: Record<string, unknown>) => resourceCheck('link-valid', { fetch, options });

describe('link-valid: valid links', () => {
  it.each<[string, Partial<FetchOutcome>, Record<string, unknown> | undefined, ReturnType<typeof outcome>]>([
    ['200', {}, undefined, { verdict: 'pass', code: 'link-valid.ok', hint: false }],
    ['200 after redirects', { finalUrl: 'http://x/g', redirects: [{ status: 301, location: 'http://x/g' }] }, undefined, { verdict: 'pass', code: 'link-valid.ok', hint: false }],
    ['a body cut at the byte cap is still an answer', { kind: 'too-large', truncated: true }, undefined, { verdict: 'pass', code: 'link-valid.ok', hint: false }],
    ['an incomplete TLS chain under incompleteChain: pass keeps its hint', { kind: 'tls', tlsProblem: 'incomplete-chain' }, { incompleteChain: 'pass' }, { verdict: 'pass', code: 'link-valid.tls-incomplete-chain', hint: true }],
  ])('%s', (_, f, options, expected) => {
    expect(outcome(check(f, options))).toEqual(expected);
  });

  it('says where the answer came from, after which redirects', () => {
    const r = check({ finalUrl: 'http://x/g', redirects: [{ status: 301, location: 'http://x/g' }, { status: 302, location: 'http://x/g' }] });
    expect(r.evidence).toBe('HTTP 200 after 2 redirect(s) (301→302) from http://x/g');
    expect(r.message).toEqual({ zh: 'http://x/g 回應 HTTP 200（經 2 次重新導向：301→302）', en: 'HTTP 200 after 2 redirect(s) (301→302) from http://x/g' });
    expect(r.detail).toEqual({ status: 200 });
  });
});

describe('link-valid: broken links', () => {
  it.each<[string, Partial<FetchOutcome>, Record<string, unknown> | undefined, ReturnType<typeof outcome>]>([
    ['404', { kind: 'http-error', status: 404 }, undefined, { verdict: 'fail', code: 'link-valid.http-error', hint: true }],
    ['503 on every attempt', { kind: 'http-error', status: 503, transient: true, attempts: 3 }, undefined, { verdict: 'unsure', code: 'link-valid.http-transient', hint: true }],
    ['unknown host', { kind: 'dns', error: 'getaddrinfo ENOTFOUND nowhere.example' }, undefined, { verdict: 'fail', code: 'link-valid.dns', hint: true }],
    ['time-out', { kind: 'timeout', transient: true, attempts: 3 }, undefined, { verdict: 'unsure', code: 'link-valid.timeout', hint: true }],
    ['connection reset', { kind: 'network', transient: true, attempts: 3, error: 'read ECONNRESET' }, undefined, { verdict: 'unsure', code: 'link-valid.network', hint: true }],
    ['an incomplete TLS chain (default: unsure)', { kind: 'tls', tlsProblem: 'incomplete-chain' }, undefined, { verdict: 'unsure', code: 'link-valid.tls-incomplete-chain', hint: true }],
    ['an incomplete TLS chain under incompleteChain: fail', { kind: 'tls', tlsProblem: 'incomplete-chain' }, { incompleteChain: 'fail' }, { verdict: 'fail', code: 'link-valid.tls-incomplete-chain', hint: true }],
    ['an expired certificate', { kind: 'tls', tlsProblem: 'expired' }, undefined, { verdict: 'fail', code: 'link-valid.tls-invalid', hint: true }],
    ['a private address (default: fail)', { kind: 'blocked', error: 'address 10.1.2.3 is private; refused' }, undefined, { verdict: 'fail', code: 'link-valid.private-address', hint: true }],
    ['a private address under privateAddress: unsure', { kind: 'blocked', error: 'address 10.1.2.3 is private; refused' }, { privateAddress: 'unsure' }, { verdict: 'unsure', code: 'link-valid.private-address', hint: true }],
    ['not http(s)', { kind: 'blocked', error: 'scheme ftp: is not http or https' }, undefined, { verdict: 'fail', code: 'link-valid.not-http', hint: true }],
    ['a redirect loop', { kind: 'redirect-loop', redirects: [{ status: 302, location: 'http://x/a' }, { status: 302, location: 'http://x/f' }] }, undefined, { verdict: 'fail', code: 'link-valid.redirect-loop', hint: true }],
    ['too many redirects', { kind: 'too-many-redirects', redirects: [{ status: 302, location: 'http://x/1' }] }, undefined, { verdict: 'fail', code: 'link-valid.too-many-redirects', hint: true }],
    ['malformed HTTP', { kind: 'protocol', error: 'Parse Error [HPE_INVALID_CONSTANT]' }, undefined, { verdict: 'fail', code: 'link-valid.protocol', hint: true }],
  ])('%s', (_, f, options, expected) => {
    expect(outcome(check(f, options))).toEqual(expected);
  });

  it('404: the status in the evidence and in the fix, in both languages', () => {
    const r = check({ kind: 'http-error', status: 404 });
    expect(r.evidence).toBe('HTTP 404');
    expect(r.message).toEqual({ zh: '連結回應 HTTP 404', en: 'HTTP 404' });
    expect(r.hint).toEqual({ zh: '連結回應 HTTP 404，請更新資料下載網址或恢復檔案。', en: 'The link answers HTTP 404; update the download URL or restore the file.' });
  });

  it('a time-out: the attempts, and in Chinese the error code rather than the English sentence', () => {
    const r = check({ kind: 'timeout', transient: true, attempts: 3, error: 'no response headers within the time-out: Headers Timeout Error [UND_ERR_HEADERS_TIMEOUT]' });
    expect(r.evidence).toBe('timed out on 3 attempts: no response headers within the time-out: Headers Timeout Error [UND_ERR_HEADERS_TIMEOUT]');
    expect(r.message?.zh).toBe('連線逾時（共嘗試 3 次；UND_ERR_HEADERS_TIMEOUT）');
    expect(r.detail).toEqual({ attempts: 3 });
  });
});
