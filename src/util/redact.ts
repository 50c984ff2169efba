// The one redaction policy. URLs come from catalogues and servers and end up in results, reports, the history
// store, stdout/stderr and error messages; credentials in them must not. odbadge fetches with the real URL, which
// lives in memory only; everything it writes down or prints goes through this module.
//
// What is secret:
// - user-info (`user:pass@`, also a bare `token@`) of any URL;
// - the value of a query, fragment or `;matrix` parameter whose NAME looks like a secret (isSecretParam).
// What is not touched: paths and host names (a secret in a path is indistinguishable from a file name).

export const REDACTED = '***';

/** Secret wherever it appears as a word of the name (split at `_ - .`, digits and camelCase): refresh_token, authKey. */
const SECRET_WORDS = new Set([
  'token', 'secret', 'password', 'passwd', 'pwd', 'signature', 'apikey', 'auth', 'authorization', 'credential',
  'credentials', 'session', 'sessionid', 'sessid', 'passcode', 'authkey', 'authtoken', 'authcode', 'jwt',
]);
/** Secret as the last word only: api_key, x-api-key, subscription-key, url_sig — but not keyword, key_word. */
const SECRET_LAST_WORDS = new Set(['key', 'sig']);
/** Secret only as the whole name: `code` (an OAuth code) — not zip_code, county_code, which portals use a lot. */
const SECRET_NAMES = new Set(['code', 'pass', 'pw']);
/** Run-together compounds: accesstoken, clientsecret, jsessionid, phpsessid, accesskey. */
const SECRET_COMPOUND = /(token|secret|password|passwd|signature|sessionid|sessid|(api|access|secret|private|app|client|auth|subscription)key)$/;

/**
 * Does a parameter name look like it carries a secret? Case-insensitive, on the name's words: `X-Amz-*` and
 * `X-Goog-*` (signed cloud-storage URLs) always; a secret word anywhere (token, secret, password, passwd,
 * signature, apikey, auth, session…); `key`/`sig` as the last word; `code`/`pass` as the whole name.
 */
export function isSecretParam(rawName: string): boolean {
  let name = rawName;
  try {
    name = decodeURIComponent(rawName.replace(/\+/g, ' '));
  } catch {
    // keep it as written
  }
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z]+/).filter(Boolean);
  if (!words.length) return false;
  if (words[0] === 'x' && (words[1] === 'amz' || words[1] === 'goog')) return true;
  if (words.some((w) => SECRET_WORDS.has(w) || SECRET_COMPOUND.test(w))) return true;
  if (SECRET_LAST_WORDS.has(words[words.length - 1])) return true;
  return words.length === 1 && SECRET_NAMES.has(words[0]);
}

type Mode = 'url' | 'text';
type Span = { start: number; end: number; kind: 'userinfo' | 'param' };

// In free text a URL ends at whitespace, quotes or angle brackets; a lone URL may hold anything (unencoded spaces).
const AUTHORITY_END = { url: /[/?#\\]/, text: /[/?#\\\s"'<>]/ };
// A secret value runs to the next parameter or the fragment: cutting earlier (at `;`, `)`…) could leave a piece of it.
const VALUE_END = { url: /[&#]/, text: /[&#\s"'<>]/ };
const SCHEME_SLASHES = { url: /(?:[a-z][a-z0-9+.-]*:)?\/\//gi, text: /\b[a-z][a-z0-9+.-]*:\/\//gi };
const PARAM_NAME = /[?&;#]([^=&#?;\s"'<>/]+)=/g;

function indexFrom(s: string, re: RegExp, from: number): number {
  const i = s.slice(from).search(re);
  return i < 0 ? s.length : from + i;
}

/** Where the secrets of `s` are: user-info after `scheme://`, and values of secret-named parameters. */
function secretSpans(s: string, mode: Mode): Span[] {
  const spans: Span[] = [];
  if (s.includes('@')) {
    for (const m of s.matchAll(SCHEME_SLASHES[mode])) {
      const start = m.index + m[0].length;
      const authority = s.slice(start, indexFrom(s, AUTHORITY_END[mode], start));
      const at = authority.lastIndexOf('@');
      if (at > 0) spans.push({ start, end: start + at, kind: 'userinfo' });
    }
  }
  if (s.includes('=')) {
    for (const m of s.matchAll(PARAM_NAME)) {
      if (!isSecretParam(m[1])) continue;
      const start = m.index + m[0].length;
      const end = indexFrom(s, VALUE_END[mode], start);
      if (end > start) spans.push({ start, end, kind: 'param' });
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

function maskSpans(s: string, spans: Span[]): string {
  let out = '';
  let at = 0;
  for (const sp of spans) {
    if (sp.start < at) continue; // overlapping (a parameter inside user-info): already masked
    out += s.slice(at, sp.start) + REDACTED;
    at = sp.end;
  }
  return out + s.slice(at);
}

/**
 * The URL with its user-info replaced by `***` and secret parameter values by `***`. A parseable URL comes back in
 * its WHATWG form (as before: the same resource always gives the same text, which keys the store's per-URL state);
 * unparseable input is masked as written, so it stays safe to print.
 */
export function redactUrl(url: string): string {
  const s = canonical(url);
  return maskSpans(s, secretSpans(s, 'url'));
}

/** Free text (an error message, a finding, a quoted body) with every URL secret in it masked. */
export function redactText(text: string): string {
  if (!text.includes('@') && !text.includes('=')) return text;
  return maskSpans(text, secretSpans(text, 'text'));
}

/** True when redaction changes `url`: it holds something odbadge must not write down. */
export function hasSecrets(url: string): boolean {
  return secretSpans(url, 'url').length > 0;
}

function decoded(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/**
 * The raw secrets of a URL (user-info and its parts, secret parameter values, percent-decoded too), longest first,
 * so free text that quotes them outside URL syntax — an error message, an echoed body — can be scrubbed.
 */
export function urlSecrets(url: string): string[] {
  const out: string[] = [];
  const add = (s: string) => out.push(s, decoded(s), encodeURIComponent(decoded(s)));
  for (const s of new Set([url, canonical(url)])) {
    for (const sp of secretSpans(s, 'url')) {
      const v = s.slice(sp.start, sp.end);
      add(v);
      if (sp.kind === 'userinfo') for (const part of v.split(':')) add(part);
    }
  }
  // Very short secrets would mask ordinary words; where they sit in a URL, redactUrl masks them anyway.
  return [...new Set(out.filter((s) => s.length >= 3 && s !== REDACTED))].sort((a, b) => b.length - a.length);
}

/** An http(s) URL in its WHATWG form; anything else (a file path, `ckan:…`, a broken URL) as written. */
function canonical(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : url;
  } catch {
    return url;
  }
}

/** Replaces each secret that occurs in `text` with `***`. */
export function scrubText(text: string, secrets: readonly string[]): string {
  let t = text;
  for (const s of secrets) if (t.includes(s)) t = t.split(s).join(REDACTED);
  return t;
}

/**
 * A copy of a JSON-like value (results, findings, facts) in which every string is redactText-ed and scrubbed of
 * `secrets`: the last line of defence before anything is recorded, whatever text a server or a parser produced.
 * Object keys are kept (they are odbadge's own names). Values that need no change are returned as they are.
 */
export function redactDeep<T>(value: T, secrets: readonly string[] = []): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return scrubText(redactText(v), secrets);
    if (Array.isArray(v)) {
      let changed = false;
      const out = v.map((x) => {
        const y = walk(x);
        if (y !== x) changed = true;
        return y;
      });
      return changed ? out : v;
    }
    if (v && typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
      let changed = false;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const y = walk(x);
        if (y !== x) changed = true;
        out[k] = y;
      }
      return changed ? out : v;
    }
    return v;
  };
  return walk(value) as T;
}
