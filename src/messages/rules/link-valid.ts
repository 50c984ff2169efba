// link-valid (資料資源連結有效性): what the download of a resource link came to.
import { hops, zhCode, zhParen } from '../common.ts';
import { define } from '../types.ts';

const rule = 'link-valid';
const tries = (n: number, zh: boolean) => (zh ? `共嘗試 ${n} 次` : `${n} attempt${n === 1 ? '' : 's'}`);
const trailing = (s: string) => s.trim();

const BROKEN_CONNECTION = {
  zh: () => '連線逾時或中斷（民眾回報過負載平衡故障導致的逾時），請檢查伺服器與網路設定。',
  en: () => 'The connection timed out or broke (users have reported load-balancer faults doing this); check the server.',
};
const REDIRECTS = {
  zh: () => '連結重新導向過多或形成循環，請直接提供檔案網址。',
  en: () => 'The link redirects in a loop or too many times; link the file directly.',
};

export const LINK_VALID_MESSAGES = {
  'link-valid.ok': define<{ status?: number; redirects: number[]; url: string }>({
    kind: 'indicator', rule,
    description: 'The link answered with a success status (after any redirects).',
    en: (p, f) => `HTTP ${p.status ?? '2xx'}${hops(p.redirects, f)} from ${p.url}`,
    zh: (p, f) => `${p.url} 回應 HTTP ${p.status ?? '2xx'}${hops(p.redirects, f)}`,
    example: { status: 200, redirects: [301], url: 'https://data.example.gov.tw/a.csv' },
  }),
  'link-valid.http-transient': define<{ status?: number; attempts: number; redirects: number[] }>({
    kind: 'indicator', rule,
    description: 'Every attempt got a temporary error status (5xx, 429): try again later.',
    en: (p, f) => `HTTP ${p.status} on every one of ${tries(p.attempts, false)}${hops(p.redirects, f)}; the server may be overloaded`,
    zh: (p, f) => `每次都回應 HTTP ${p.status}（${tries(p.attempts, true)}）${hops(p.redirects, f)}；伺服器可能過載`,
    fix: {
      zh: () => '伺服器暫時無法回應（如 5xx、429），請確認主機負載與負載平衡設定，稍後再檢測。',
      en: () => 'The server answered with a temporary error on every try; check its load and load balancer, then re-check.',
    },
    example: { status: 503, attempts: 3, redirects: [] },
  }),
  'link-valid.http-error': define<{ status?: number; redirects: number[] }>({
    kind: 'indicator', rule,
    description: 'The link answered with a definite error status (404, 403 …).',
    en: (p, f) => `HTTP ${p.status}${hops(p.redirects, f)}`,
    zh: (p, f) => `連結回應 HTTP ${p.status}${hops(p.redirects, f)}`,
    fix: {
      zh: (p) => `連結回應 HTTP ${p.status}，請更新資料下載網址或恢復檔案。`,
      en: (p) => `The link answers HTTP ${p.status}; update the download URL or restore the file.`,
    },
    example: { status: 404, redirects: [] },
  }),
  'link-valid.dns': define<{ error?: string }>({
    kind: 'indicator', rule,
    description: "The link's host name does not resolve.",
    en: (p) => trailing(`host name not found: ${p.error ?? ''}`),
    zh: (p) => `找不到主機名稱${zhParen(p.error)}`,
    fix: { zh: () => '網址的主機名稱無法解析，請確認網域是否仍有效。', en: () => 'The host name does not resolve; check that the domain is still in use.' },
    example: { error: 'getaddrinfo ENOTFOUND data.example.gov.tw' },
  }),
  'link-valid.timeout': define<{ attempts: number; error?: string }>({
    kind: 'indicator', rule,
    description: 'The download timed out on every attempt (or the host stopped answering): transient, try again.',
    en: (p) => trailing(`timed out on ${tries(p.attempts, false)}: ${p.error ?? ''}`),
    zh: (p) => `連線逾時（${tries(p.attempts, true)}${zhCode(p.error)}）`,
    fix: BROKEN_CONNECTION,
    example: { attempts: 3, error: 'no response headers within the time-out: Headers Timeout Error [UND_ERR_HEADERS_TIMEOUT]' },
  }),
  'link-valid.network': define<{ attempts: number; error?: string }>({
    kind: 'indicator', rule,
    description: 'The connection was refused, reset or closed on every attempt: transient, try again.',
    en: (p) => trailing(`network error on ${tries(p.attempts, false)}: ${p.error ?? ''}`),
    zh: (p) => `網路連線錯誤（${tries(p.attempts, true)}${zhCode(p.error)}）`,
    fix: BROKEN_CONNECTION,
    example: { attempts: 3, error: 'connection reset [ECONNRESET]' },
  }),
  'link-valid.tls-incomplete-chain': define<{ error?: string }>({
    kind: 'indicator', rule,
    description: 'The server does not send its intermediate certificate. Its verdict is the ruleset option link-valid.incompleteChain (pass, unsure or fail; default unsure).',
    en: (p) => trailing(`TLS certificate chain is missing its intermediate certificate: ${p.error ?? ''}`),
    zh: (p) => `TLS 憑證鏈缺少中繼憑證${zhParen(p.error)}`,
    fix: {
      zh: () => '伺服器未送出中繼憑證，瀏覽器或許能開啟但程式無法驗證；請在伺服器設定完整憑證鏈。',
      en: () => 'The server does not send its intermediate certificate: browsers may cope, programs cannot. Configure the full chain.',
    },
    example: { error: 'unable to verify the first certificate [UNABLE_TO_VERIFY_LEAF_SIGNATURE]' },
  }),
  'link-valid.tls-invalid': define<{ problem: string; error?: string }>({
    kind: 'indicator', rule,
    description: 'The certificate is expired, self-signed or for another host name.',
    en: (p) => trailing(`TLS certificate problem (${p.problem}): ${p.error ?? ''}`),
    zh: (p) => `TLS 憑證有問題（${({ 'self-signed': '自簽憑證', expired: '已過期', 'hostname-mismatch': '主機名稱不符', other: '其他' } as Record<string, string>)[p.problem] ?? p.problem}）`,
    fix: { zh: () => '網站憑證無效（過期、自簽或主機名稱不符），請更新憑證。', en: () => 'The site certificate is invalid (expired, self-signed or for another host name); renew it.' },
    example: { problem: 'expired', error: 'certificate has expired [CERT_HAS_EXPIRED]' },
  }),
  'link-valid.private-address': define<{ error?: string }>({
    kind: 'indicator', rule,
    description: 'The URL resolves to a private, loopback or link-local address: refused (unless --allow-private-network). Its verdict is the ruleset option link-valid.privateAddress (fail or unsure).',
    en: (p) => `not fetched: ${p.error ?? 'refused by odbadge'}`,
    zh: () => '未下載：網址指向內部網路位址（私有、迴路或鏈路本地位址），odbadge 拒絕連線',
    fix: { zh: () => '網址指向內部網路位址，民眾無法連線；請改用公開網址。', en: () => 'The URL points at a private network address the public cannot reach; publish a public URL.' },
    example: { error: 'address 10.0.0.5 is private; refused (use --allow-private-network to allow it)' },
  }),
  'link-valid.not-http': define<{ error?: string }>({
    kind: 'indicator', rule,
    description: 'The link is not an http(s) URL (ftp:, file:, mailto: …).',
    en: (p) => `not fetched: ${p.error ?? 'refused by odbadge'}`,
    zh: () => '未下載：只支援 http 與 https 網址',
    fix: { zh: () => '僅支援 http/https 連結，請改用網頁可下載的網址。', en: () => 'Only http and https links can be downloaded by everyone; publish an http(s) URL.' },
    example: { error: 'scheme ftp: is not http or https' },
  }),
  'link-valid.redirect-loop': define<{ hops: number; locations: string[] }>({
    kind: 'indicator', rule,
    description: 'The link redirects in a loop.',
    en: (p) => `redirect loop (${p.hops} hops): ${p.locations.join(' → ')}`,
    zh: (p) => `重新導向形成循環（${p.hops} 次）：${p.locations.join(' → ')}`,
    fix: REDIRECTS,
    example: { hops: 2, locations: ['https://a.example/x', 'https://a.example/y'] },
  }),
  'link-valid.too-many-redirects': define<{ hops: number; locations: string[] }>({
    kind: 'indicator', rule,
    description: 'The link redirects more than 10 times.',
    en: (p) => `too many redirects (${p.hops} hops): ${p.locations.join(' → ')}`,
    zh: (p) => `重新導向次數過多（${p.hops} 次）：${p.locations.join(' → ')}`,
    fix: REDIRECTS,
    example: { hops: 11, locations: ['https://a.example/1', 'https://a.example/2'] },
  }),
  'link-valid.protocol': define<{ error?: string }>({
    kind: 'indicator', rule,
    description: 'The server sent a malformed HTTP response.',
    en: (p) => trailing(`malformed HTTP response: ${p.error ?? ''}`),
    zh: (p) => `HTTP 回應格式錯誤${zhParen(p.error)}`,
    fix: { zh: () => '伺服器回應不符合 HTTP 規範，請檢查網站伺服器。', en: () => 'The server does not speak valid HTTP; check the web server.' },
    example: { error: 'Parse Error: Invalid header value char [HPE_INVALID_HEADER_TOKEN]' },
  }),
};
