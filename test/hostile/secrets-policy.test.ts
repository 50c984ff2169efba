// The one redaction policy (src/util/redact.ts): which parameter names are secret, what a redacted URL looks like,
// and free text scrubbed of URL secrets. The end-to-end proof that nothing leaks is secrets-e2e.test.ts.
import { describe, expect, it } from 'vitest';
import { hasSecrets, isSecretParam, redactDeep, redactText, redactUrl, scrubText, urlSecrets } from '../../src/util/redact.ts';

describe('secret parameter names', () => {
  it('the listed names, case-insensitive, and names built from them', () => {
    const secret = [
      'token', 'TOKEN', 'key', 'Key', 'apikey', 'APIKey', 'api_key', 'api-key', 'x-api-key', 'access_token', 'accessToken', 'accesstoken',
      'secret', 'client_secret', 'clientSecret', 'password', 'Passwd', 'signature', 'Signature', 'sig', 'code', 'CODE', 'session',
      'sessionid', 'JSESSIONID', 'PHPSESSID', 'auth', 'authKey', 'auth_code', 'Authorization', 'refresh_token', 'id_token',
      'X-Amz-Signature', 'X-Amz-Credential', 'x-amz-security-token', 'X-Amz-Date', 'X-Goog-Credential', 'X-Goog-Signature',
      'subscription-key', 'Ocp-Apim-Subscription-Key', 'url_sig', 'api%5Fkey', 'token2',
    ];
    for (const n of secret) expect(isSecretParam(n), n).toBe(true);
  });

  it('ordinary portal parameters stay readable', () => {
    const plain = ['id', 'format', 'q', 'page', 'limit', 'keyword', 'key_word', 'monkey', 'zipcode', 'county_code', 'datasetCode',
      'author', 'authority', 'tokenizer', 'bypass', 'compass', 'AWSAccessKeyId', 'sort', 'lang', 'x-request-id'];
    for (const n of plain) expect(isSecretParam(n), n).toBe(false);
  });
});

describe('redactUrl', () => {
  it('masks user-info and every secret value; the rest of the URL is kept as written', () => {
    expect(redactUrl('https://alice:s3cret@data.example.gov.tw/a.csv?id=7&api_key=K123&token=T9&format=csv'))
      .toBe('https://***@data.example.gov.tw/a.csv?id=7&api_key=***&token=***&format=csv');
    expect(redactUrl('https://bucket.s3.amazonaws.com/f.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F2026&X-Amz-Signature=abcdef0123&v=2'))
      .toBe('https://bucket.s3.amazonaws.com/f.csv?X-Amz-Algorithm=***&X-Amz-Credential=***&X-Amz-Signature=***&v=2');
    expect(redactUrl('https://h.example/cb?code=4%2F0AX&state=xyz#access_token=tok123&expires_in=3600'))
      .toBe('https://h.example/cb?code=***&state=xyz#access_token=***&expires_in=3600');
    expect(redactUrl('https://h.example/a.do;jsessionid=ABC123?x=1')).toBe('https://h.example/a.do;jsessionid=***');
    expect(redactUrl('https://TOKEN123@h.example/x')).toBe('https://***@h.example/x');
    expect(redactUrl('https://data.example.gov.tw/a.csv?id=7')).toBe('https://data.example.gov.tw/a.csv?id=7');
    expect(redactUrl('https://data.example.gov.tw/a.csv?zipcode=100&keyword=token')).toBe('https://data.example.gov.tw/a.csv?zipcode=100&keyword=token');
  });

  it('a password holding @ or & is masked whole', () => {
    expect(redactUrl('https://u:p@ss@h.example/x')).toBe('https://***@h.example/x');
    expect(redactUrl('https://h.example/x?password=a%26b&n=1')).toBe('https://h.example/x?password=***&n=1');
  });

  it('masks unparseable URLs as written, user-info and parameters alike', () => {
    expect(redactUrl('http://me:pw@[bad/x?token=T0K3N&a=1')).toBe('http://***@[bad/x?token=***&a=1');
    expect(redactUrl('htp:/broken?apikey=K3Y')).toBe('htp:/broken?apikey=***');
    expect(redactUrl('ckan:https://u:p@ckan.example/api/3/action?apikey=K3Y')).toBe('ckan:https://***@ckan.example/api/3/action?apikey=***');
    expect(redactUrl('fixtures/catalog.csv')).toBe('fixtures/catalog.csv');
  });

  it('hasSecrets tells whether anything was masked', () => {
    expect(hasSecrets('https://h.example/x?token=1')).toBe(true);
    expect(hasSecrets('https://h.example/x?page=1')).toBe(false);
  });
});

describe('free text', () => {
  it('redactText masks URL secrets wherever they sit in a message', () => {
    expect(redactText('GET https://bob:hunter22@h.example/a?apikey=XYZ987 failed: HTTP 500; see /b?sig=S1G&x=2'))
      .toBe('GET https://***@h.example/a?apikey=*** failed: HTTP 500; see /b?sig=***&x=2');
    expect(redactText('<a href="https://h.example/a.csv?token=T0K">x</a>')).toBe('<a href="https://h.example/a.csv?token=***">x</a>');
    expect(redactText('mail me at bob@example.com, 1 + 1 = 2')).toBe('mail me at bob@example.com, 1 + 1 = 2');
  });

  it('urlSecrets and scrubText remove secrets quoted outside URL syntax, decoded too', () => {
    const secrets = urlSecrets('https://alice:p%40ss%20word@h.example/x?token=T0K%2BEN');
    expect(scrubText('user alice, password p@ss word, token T0K+EN echoed', secrets)).toBe('user ***, password ***, token *** echoed');
  });

  it('redactDeep rewrites every string of a result and leaves clean values untouched', () => {
    const clean = { a: ['x', 1, { b: 'y' }] };
    expect(redactDeep(clean)).toBe(clean);
    const dirty = { evidence: 'body said: bad key SECRETVALUE', detail: { url: 'https://u:pw123@h.example/?key=K' }, n: 3 };
    expect(redactDeep(dirty, ['SECRETVALUE'])).toEqual({ evidence: 'body said: bad key ***', detail: { url: 'https://***@h.example/?key=***' }, n: 3 });
  });
});
