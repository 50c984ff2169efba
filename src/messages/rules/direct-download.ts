// direct-download (資料資源可直接下載): whether what came back is the data itself.
import { define } from '../types.ts';

const rule = 'direct-download';

export const DIRECT_DOWNLOAD_MESSAGES = {
  'direct-download.ok': define<{ status?: number; bytes: number; format: string; truncated: boolean; contentType?: string }>({
    kind: 'indicator', rule,
    description: 'The data itself came back (even when served as text/html, the content decides).',
    en: (p) =>
      [`HTTP ${p.status}, ${p.bytes} bytes of ${p.format}`, p.truncated ? `(read up to the ${p.bytes}-byte cap)` : '', p.contentType ? `served as ${p.contentType}; the content is data` : '']
        .filter(Boolean).join(' '),
    zh: (p) =>
      `HTTP ${p.status}，取得 ${p.bytes} 位元組的 ${p.format} 資料${p.truncated ? `（讀到 ${p.bytes} 位元組的上限為止）` : ''}${p.contentType ? `；伺服器標示為 ${p.contentType}，但內容確為資料` : ''}`,
    example: { status: 200, bytes: 18234, format: 'csv', truncated: false },
  }),
  'direct-download.unreadable': define<{ kind: string; tlsProblem?: string; error?: string }>({
    kind: 'indicator', rule,
    description: 'The content could not be read (e.g. link-valid passes a link with an incomplete TLS chain by option, but odbadge could not read the body).',
    en: (p) => `the content could not be read (${p.kind}${p.tlsProblem ? `: ${p.tlsProblem}` : ''}${p.error ? `: ${p.error}` : ''})`,
    zh: (p) => `無法讀取檔案內容（${p.kind}${p.tlsProblem ? `：${p.tlsProblem}` : ''}）`,
    fix: {
      zh: () => '無法取得檔案內容（例如伺服器憑證鏈不完整），請修正伺服器設定後再檢測。',
      en: () => 'The file content could not be read (for example an incomplete TLS certificate chain); fix the server and check again.',
    },
    example: { kind: 'tls', tlsProblem: 'incomplete-chain' },
  }),
  'direct-download.empty': define<{ status?: number }>({
    kind: 'indicator', rule,
    description: 'The link answers with an empty body.',
    en: (p) => `HTTP ${p.status} with an empty body (0 bytes)`,
    zh: (p) => `HTTP ${p.status}，但內容是空的（0 位元組）`,
    fix: { zh: () => '連結回應成功但沒有內容，請確認檔案已正確上傳。', en: () => 'The link answers but sends nothing; check that the file was uploaded.' },
    example: { status: 200 },
  }),
  'direct-download.login': define<{ redirectedTo?: string; excerpt?: string }>({
    kind: 'indicator', rule,
    description: 'A login page answered instead of the data.',
    en: (p) => `a login page answered${p.redirectedTo ? ` after redirecting to ${p.redirectedTo}` : ''}: ${p.excerpt ?? ''}`.trim(),
    zh: (p) => `回應的是登入頁面${p.redirectedTo ? `（重新導向至 ${p.redirectedTo}）` : ''}${p.excerpt ? `：「${p.excerpt}」` : ''}`,
    fix: { zh: () => '下載需要登入，開放資料應可不經登入直接下載。', en: () => 'Downloading requires a login; open data must download without one.' },
    example: { redirectedTo: 'https://sso.example.gov.tw/login', excerpt: '會員登入' },
  }),
  'direct-download.html': define<{ contentType?: string; excerpt?: string }>({
    kind: 'indicator', rule,
    description: 'A web page (a landing page) answered instead of the data.',
    en: (p) => `an HTML page answered (${p.contentType ?? 'no Content-Type'}) instead of the data${p.excerpt ? `: "${p.excerpt}"` : ''}`,
    zh: (p) => `回應的是 HTML 網頁而非資料${p.excerpt ? `：「${p.excerpt}」` : ''}`,
    fix: {
      zh: () => '連結回傳的是網頁而非資料檔（官方檢測訊息：[001] download_file(): cannot download directly.）；請將資料下載網址改為檔案本身的網址。',
      en: () => 'The link returns a web page, not the data file (the official checker says "[001] download_file(): cannot download directly."); link the file itself.',
    },
    example: { contentType: 'text/html; charset=utf-8', excerpt: '工會團體名冊 - 勞動部' },
  }),
  'direct-download.message': define<{ status?: number; excerpt: string }>({
    kind: 'indicator', rule,
    description: 'The body is a message (查無資料, an error object) instead of data. The ruleset option direct-download.errorBodyFails (default true) makes it fail.',
    en: (p) => `HTTP ${p.status} but the body is a message, not data: "${p.excerpt}"`,
    zh: (p) => `HTTP ${p.status}，但內容是訊息而非資料：「${p.excerpt}」`,
    fix: {
      zh: () => '回應內容為訊息（例如「查無資料」）而非資料，請確認查詢參數或資料來源。',
      en: () => 'The response is a message (such as 查無資料, "no data") instead of data; check the query or the data source.',
    },
    example: { status: 200, excerpt: 'resourceId:ANJ-0001 查無資料。' },
  }),
};
