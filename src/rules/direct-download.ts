// 資料資源可直接下載: the data itself comes back — no landing page, no login, no message instead of data.
import { msg } from '../messages/index.ts';
import { option } from './options.ts';
import { fail, pass, resourceRule, unsure } from './rule.ts';

export const directDownload = resourceRule({
  id: 'direct-download',
  scope: 'resource',
  title: { zh: '資料資源可直接下載', en: 'Resource downloads directly' },
  docs: 'src/rules/direct-download.md',
  source: '政府資料開放優質標章 (2017) 可取得性; official checker message [001]',
  options: {
    errorBodyFails: option.boolean(true, 'A 200 body that is a message (查無資料) instead of data fails direct-download.'),
  },
  check({ fetch: f, facts, options }) {
    const loginRedirect = f.redirects.some((r) => /login|signin|sso|auth|登入/i.test(r.location));
    if (!facts && f.kind !== 'ok' && f.kind !== 'too-large') {
      // link-valid may be configured to pass a link whose content odbadge could not read (an incomplete TLS chain).
      return unsure(msg('direct-download.unreadable', { kind: f.kind, ...(f.tlsProblem ? { tlsProblem: f.tlsProblem } : {}), ...(f.error ? { error: f.error } : {}) }));
    }
    if (!facts || f.bytes === 0 || facts.format === 'empty') return fail(msg('direct-download.empty', { status: f.status }));
    if (facts.notData?.kind === 'login-page' || (facts.format === 'html' && loginRedirect)) {
      return fail(msg('direct-download.login', { ...(loginRedirect ? { redirectedTo: f.finalUrl } : {}), ...(facts.notData?.excerpt ? { excerpt: facts.notData.excerpt } : {}) }));
    }
    if (facts.format === 'html') {
      return fail(msg('direct-download.html', { ...(f.contentType ? { contentType: f.contentType } : {}), ...(facts.notData?.excerpt ? { excerpt: facts.notData.excerpt } : {}) }), { contentType: f.contentType });
    }
    if (facts.notData && options.errorBodyFails) {
      return fail(msg('direct-download.message', { status: f.status, excerpt: facts.notData.excerpt }), { notData: facts.notData.kind });
    }
    return pass(msg('direct-download.ok', {
      status: f.status, bytes: f.bytes, format: facts.format, truncated: f.truncated,
      ...(f.contentType && /text\/html/i.test(f.contentType) ? { contentType: f.contentType } : {}),
    }));
  },
});
