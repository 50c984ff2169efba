// Pure pieces of the fetcher: address guard, URL redaction, Retry-After, error classification, options.
import type { LookupFunction } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FETCH_OPTIONS, classifyError, classifyStatus, guardedLookup, parseRetryAfter, privateAddressReason, redactUrl,
  resolveOptions,
} from '../../src/fetch/index.ts';
import { addressExemption } from '../../src/fetch/ip-guard.ts';

describe('privateAddressReason', () => {
  it.each([
    '127.0.0.1', '127.255.0.9', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254',
    '100.64.0.1', '100.127.255.255', '0.0.0.0', '0.1.2.3', '255.255.255.255', '224.0.0.1',
    '::1', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'febf::1', '::ffff:127.0.0.1', '::ffff:7f00:1',
    '::ffff:10.0.0.1', '::ffff:192.168.0.1', '[::1]', '64:ff9b::a00:1', '2002:c0a8:0101::1', 'ff02::1',
  ])('refuses %s', (ip) => {
    expect(privateAddressReason(ip)).not.toBeNull();
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '172.15.255.255', '100.63.255.255', '100.128.0.1', '192.169.0.1',
    '2001:4860:4860::8888', '::ffff:8.8.8.8', '2606:4700::1111'])('allows %s', (ip) => {
    expect(privateAddressReason(ip)).toBeNull();
  });

  it('exempts listed addresses and IPv4 ranges only', () => {
    const ex = addressExemption(['10.20.0.0/16', '::1', '192.168.1.5']);
    expect(ex('10.20.3.4')).toBe(true);
    expect(ex('10.21.0.1')).toBe(false);
    expect(ex('0:0:0:0:0:0:0:1')).toBe(true);
    expect(ex('192.168.1.5')).toBe(true);
    expect(ex('192.168.1.6')).toBe(false);
  });
});

describe('guardedLookup', () => {
  const fixed = (addrs: { address: string; family: number }[]): LookupFunction =>
    ((_h: string, _o: unknown, cb: (...a: unknown[]) => void) => cb(null, addrs)) as unknown as LookupFunction;
  const run = (fn: LookupFunction, all: boolean) =>
    new Promise<{ err: NodeJS.ErrnoException | null; res: unknown }>((resolve) =>
      (fn as unknown as (h: string, o: object, cb: (...a: unknown[]) => void) => void)('x.test', { all },
        (err: unknown, res: unknown) => resolve({ err: err as NodeJS.ErrnoException | null, res })));

  it('drops private addresses from a mixed answer and connects only to public ones', async () => {
    const fn = guardedLookup(fixed([{ address: '127.0.0.1', family: 4 }, { address: '93.184.216.34', family: 4 }]), false);
    expect((await run(fn, true)).res).toEqual([{ address: '93.184.216.34', family: 4 }]);
    expect((await run(fn, false)).res).toBe('93.184.216.34');
  });

  it('fails with a blocked error when every address is private, in both calling styles', async () => {
    const fn = guardedLookup(fixed([{ address: '10.0.0.5', family: 4 }, { address: '::1', family: 6 }]), false);
    for (const all of [true, false]) {
      const { err } = await run(fn, all);
      expect(err?.code).toBe('ODBADGE_BLOCKED_ADDRESS');
      expect(err?.message).toMatch(/10\.0\.0\.5.*private/);
    }
  });

  it('passes private addresses through when allowed', async () => {
    const fn = guardedLookup(fixed([{ address: '127.0.0.1', family: 4 }]), true);
    expect((await run(fn, false)).res).toBe('127.0.0.1');
  });
});

describe('redactUrl', () => {
  it('masks user-info and secret query values, keeps the rest', () => {
    expect(redactUrl('https://user:pa55@data.example.gov.tw/a.csv?id=7&api_key=K123&token=T9'))
      .toBe('https://***@data.example.gov.tw/a.csv?id=7&api_key=***&token=***');
    expect(redactUrl('https://data.example.gov.tw/a.csv?id=7')).toBe('https://data.example.gov.tw/a.csv?id=7');
  });

  it('masks credentials even in an unparseable URL', () => {
    expect(redactUrl('http://me:pw@[bad/x')).not.toContain('pw');
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('classifyError / classifyStatus', () => {
  const err = (code: string) => Object.assign(new Error(`boom ${code}`), { code });
  it.each([
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'incomplete-chain'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'incomplete-chain'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed'],
    ['CERT_HAS_EXPIRED', 'expired'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'hostname-mismatch'],
    ['ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'other'],
  ])('maps %s to tls/%s', (code, problem) => {
    expect(classifyError(err(code))).toMatchObject({ kind: 'tls', tlsProblem: problem, transient: false });
  });

  it('separates definite from transient failures', () => {
    expect(classifyError(err('ENOTFOUND'))).toMatchObject({ kind: 'dns', transient: false });
    expect(classifyError(err('EAI_AGAIN'))).toMatchObject({ kind: 'dns', transient: true });
    expect(classifyError(err('ECONNRESET'))).toMatchObject({ kind: 'network', transient: true });
    expect(classifyError(err('UND_ERR_HEADERS_TIMEOUT'))).toMatchObject({ kind: 'timeout', transient: true });
    expect(classifyError(err('HPE_INVALID_CONSTANT'))).toMatchObject({ kind: 'protocol', transient: false });
    // Happy-eyeballs failures arrive as an AggregateError; the member codes decide.
    expect(classifyError(new AggregateError([err('ECONNREFUSED')], 'all failed'))).toMatchObject({ kind: 'network' });
    expect(classifyStatus(404)).toMatchObject({ kind: 'http-error', transient: false });
    expect(classifyStatus(429)).toMatchObject({ kind: 'http-error', transient: true });
    expect(classifyStatus(502)).toMatchObject({ kind: 'http-error', transient: true });
    expect(classifyStatus(204)).toMatchObject({ kind: 'ok' });
  });
});

describe('options', () => {
  it('documents sane defaults', () => {
    expect(DEFAULT_FETCH_OPTIONS).toMatchObject({
      concurrency: 32, perHost: 4, maxBytes: 50 * 1024 * 1024, maxRedirects: 10, retries: 2, allowPrivateNetwork: false,
    });
    expect(DEFAULT_FETCH_OPTIONS.userAgent).toMatch(/^odbadge\/\S+ \(\+https:\/\/github\.com\/odbadge\/odbadge; open-data quality audit\)$/);
  });

  it('rejects nonsensical values and ignores undefined ones', () => {
    expect(() => resolveOptions({ concurrency: 0 })).toThrow(/concurrency/);
    expect(() => resolveOptions({ retries: -1 })).toThrow(/retries/);
    expect(resolveOptions({ retries: undefined }).retries).toBe(2);
  });
});
