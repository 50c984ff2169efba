// Small pieces several templates share.
import type { Fmt } from './types.ts';

/** " after 2 redirect(s) (301→302)" / "（經 2 次重新導向：301→302）". */
export function hops(redirects: readonly number[] | undefined, f: Fmt): string {
  if (!redirects?.length) return '';
  return f.lang === 'zh' ? `（經 ${redirects.length} 次重新導向：${redirects.join('→')}）` : ` after ${redirects.length} redirect(s) (${redirects.join('→')})`;
}

/**
 * The machine code inside a library's English error text ("… [UND_ERR_HEADERS_TIMEOUT]", "getaddrinfo ENOTFOUND x"),
 * so a Chinese message can name the error without quoting an English sentence.
 */
export function errorCode(error: string | undefined): string | undefined {
  if (!error) return undefined;
  return /\b(UND_ERR_[A-Z_]+|ERR_[A-Z0-9_]+|ODBADGE_[A-Z_]+|E[A-Z]{3,}[A-Z_]*|CERT_[A-Z_]+|[A-Z_]*CERT[A-Z_]*|DEPTH_ZERO_SELF_SIGNED_CERT|HPE_[A-Z_]+)\b/.exec(error)?.[1];
}

/** "；UND_ERR_HEADERS_TIMEOUT" when the error names a code, else "" (inside a parenthesis already open). */
export function zhCode(error: string | undefined): string {
  const code = errorCode(error);
  return code ? `；${code}` : '';
}

/** "（ENOTFOUND）" when the error names a code, else "". */
export function zhParen(error: string | undefined): string {
  const code = errorCode(error);
  return code ? `（${code}）` : '';
}

/** A value quoted for the reader: "x" / 「x」. */
export function q(value: unknown, f: Fmt): string {
  return f.lang === 'zh' ? `「${String(value)}」` : `"${String(value)}"`;
}
