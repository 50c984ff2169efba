// 資料資源可直接下載: the data itself comes back — no landing page, no login, no message instead of data.
import { fail, opt, pass, unsure, type ResourceRule } from './rule.ts';

const LANDING_HINT = {
  zh: '連結回傳的是網頁而非資料檔（官方檢測訊息：[001] download_file(): cannot download directly.）；請將資料下載網址改為檔案本身的網址。',
  en: 'The link returns a web page, not the data file (the official checker says "[001] download_file(): cannot download directly."); link the file itself.',
};

export const directDownload: ResourceRule = {
  id: 'direct-download',
  scope: 'resource',
  title: { zh: '資料資源可直接下載', en: 'Resource downloads directly' },
  docs: 'src/rules/direct-download.md',
  source: '政府資料開放優質標章 (2017) 可取得性; official checker message [001]',
  check({ fetch: f, facts, options }) {
    const loginRedirect = f.redirects.some((r) => /login|signin|sso|auth|登入/i.test(r.location));
    if (!facts && f.kind !== 'ok' && f.kind !== 'too-large') {
      // link-valid may be configured to pass a link whose content odbadge could not read (an incomplete TLS chain).
      return unsure(`the content could not be read (${f.kind}${f.tlsProblem ? `: ${f.tlsProblem}` : ''}${f.error ? `: ${f.error}` : ''})`, {
        zh: '無法取得檔案內容（例如伺服器憑證鏈不完整），請修正伺服器設定後再檢測。',
        en: 'The file content could not be read (for example an incomplete TLS certificate chain); fix the server and check again.',
      });
    }
    if (!facts || f.bytes === 0 || facts.format === 'empty') {
      return fail(`HTTP ${f.status} with an empty body (0 bytes)`, {
        zh: '連結回應成功但沒有內容，請確認檔案已正確上傳。',
        en: 'The link answers but sends nothing; check that the file was uploaded.',
      });
    }
    if (facts.notData?.kind === 'login-page' || (facts.format === 'html' && loginRedirect)) {
      return fail(`a login page answered${loginRedirect ? ` after redirecting to ${f.finalUrl}` : ''}: ${facts.notData?.excerpt ?? ''}`.trim(), {
        zh: '下載需要登入，開放資料應可不經登入直接下載。',
        en: 'Downloading requires a login; open data must download without one.',
      });
    }
    if (facts.format === 'html') {
      return fail(`an HTML page answered (${f.contentType ?? 'no Content-Type'}) instead of the data${facts.notData?.excerpt ? `: "${facts.notData.excerpt}"` : ''}`, LANDING_HINT, {
        contentType: f.contentType,
      });
    }
    if (facts.notData && opt(options, 'errorBodyFails', true)) {
      return fail(`HTTP ${f.status} but the body is a message, not data: "${facts.notData.excerpt}"`, {
        zh: '回應內容為訊息（例如「查無資料」）而非資料，請確認查詢參數或資料來源。',
        en: 'The response is a message (such as 查無資料, "no data") instead of data; check the query or the data source.',
      }, { notData: facts.notData.kind });
    }
    const parts = [`HTTP ${f.status}, ${f.bytes} bytes of ${facts.format}`];
    if (f.truncated) parts.push(`(read up to the ${f.bytes}-byte cap)`);
    if (f.contentType && /text\/html/i.test(f.contentType)) parts.push(`served as ${f.contentType}; the content is data`);
    return pass(parts.join(' '));
  },
};
