// URLs end up in reports, logs and error messages; credentials in them must not.

/** Query parameters whose values are secrets often enough that reports should never show them. */
const SECRET_PARAMS = new Set([
  'password', 'passwd', 'pwd', 'pass', 'secret', 'client_secret', 'token', 'access_token', 'refresh_token',
  'id_token', 'auth', 'api_key', 'apikey', 'api-key', 'x-api-key', 'sig', 'signature', 'session', 'sessionid',
]);

/**
 * The URL with user-info replaced by `***` and secret-looking query values masked.
 * Unparseable input is returned with anything between `//` and `@` masked, so it stays safe to print.
 */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url.replace(/\/\/[^/@?#]*@/, '//***@');
  }
  if (u.username || u.password) {
    u.username = '***';
    u.password = '';
  }
  // searchParams.set re-serialises the whole query, so only touch it when a secret is present.
  for (const k of [...new Set(u.searchParams.keys())]) {
    if (SECRET_PARAMS.has(k.toLowerCase())) u.searchParams.set(k, '***');
  }
  return u.href;
}

/** Collects the raw secrets of a URL (user-info and secret query values) so free text can be scrubbed of them. */
export function urlSecrets(url: string): string[] {
  const out: string[] = [];
  try {
    const u = new URL(url);
    for (const s of [u.username, u.password]) {
      if (s) out.push(s, safeDecode(s));
    }
    for (const [k, v] of u.searchParams) if (SECRET_PARAMS.has(k.toLowerCase()) && v) out.push(v, encodeURIComponent(v));
  } catch {
    const m = /\/\/([^/@?#]*)@/.exec(url);
    if (m?.[1]) out.push(m[1], ...m[1].split(':'));
  }
  // Very short secrets would mask ordinary words; the structured fields are redacted by redactUrl anyway.
  return [...new Set(out.filter((s) => s.length >= 3))].sort((a, b) => b.length - a.length);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Replaces each secret that occurs in `text` with `***`. */
export function scrubText(text: string, secrets: string[]): string {
  let t = text;
  for (const s of secrets) t = t.split(s).join('***');
  return t;
}
