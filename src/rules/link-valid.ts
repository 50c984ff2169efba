// 資料資源連結有效性: the resource link answers with a success status.
import type { FetchOutcome } from '../model.ts';
import { fail, opt, pass, unsure, type ResourceRule } from './rule.ts';

function hops(f: FetchOutcome): string {
  return f.redirects.length ? ` after ${f.redirects.length} redirect(s) (${f.redirects.map((r) => r.status).join('→')})` : '';
}

const tries = (f: FetchOutcome) => `${f.attempts} attempt${f.attempts === 1 ? '' : 's'}`;

export const linkValid: ResourceRule = {
  id: 'link-valid',
  scope: 'resource',
  title: { zh: '資料資源連結有效性', en: 'Resource link works' },
  docs: 'src/rules/link-valid.md',
  source: '政府資料開放優質標章 (2017) 可取得性',
  check({ fetch: f, options }) {
    switch (f.kind) {
      case 'ok':
      case 'too-large':
        return pass(`HTTP ${f.status ?? '2xx'}${hops(f)} from ${f.finalUrl}`, { status: f.status });
      case 'http-error':
        if (f.transient) {
          return unsure(`HTTP ${f.status} on every one of ${tries(f)}${hops(f)}; the server may be overloaded`, {
            zh: '伺服器暫時無法回應（如 5xx、429），請確認主機負載與負載平衡設定，稍後再檢測。',
            en: 'The server answered with a temporary error on every try; check its load and load balancer, then re-check.',
          }, { status: f.status, attempts: f.attempts });
        }
        return fail(`HTTP ${f.status}${hops(f)}`, {
          zh: `連結回應 HTTP ${f.status}，請更新資料下載網址或恢復檔案。`,
          en: `The link answers HTTP ${f.status}; update the download URL or restore the file.`,
        }, { status: f.status });
      case 'dns':
        return fail(`host name not found: ${f.error ?? ''}`.trim(), {
          zh: '網址的主機名稱無法解析，請確認網域是否仍有效。',
          en: 'The host name does not resolve; check that the domain is still in use.',
        });
      case 'timeout':
      case 'network':
        return unsure(`${f.kind === 'timeout' ? 'timed out' : 'network error'} on ${tries(f)}: ${f.error ?? ''}`.trim(), {
          zh: '連線逾時或中斷（民眾回報過負載平衡故障導致的逾時），請檢查伺服器與網路設定。',
          en: 'The connection timed out or broke (users have reported load-balancer faults doing this); check the server.',
        }, { attempts: f.attempts });
      case 'tls': {
        const problem = f.tlsProblem ?? 'other';
        if (problem === 'incomplete-chain') {
          const verdict = opt(options, 'incompleteChain', 'unsure' as 'pass' | 'unsure' | 'fail');
          const evidence = `TLS certificate chain is missing its intermediate certificate: ${f.error ?? ''}`.trim();
          const hint = {
            zh: '伺服器未送出中繼憑證，瀏覽器或許能開啟但程式無法驗證；請在伺服器設定完整憑證鏈。',
            en: 'The server does not send its intermediate certificate: browsers may cope, programs cannot. Configure the full chain.',
          };
          if (verdict === 'pass') return { ...pass(evidence), hint };
          return verdict === 'fail' ? fail(evidence, hint, { tlsProblem: problem }) : unsure(evidence, hint, { tlsProblem: problem });
        }
        return fail(`TLS certificate problem (${problem}): ${f.error ?? ''}`.trim(), {
          zh: '網站憑證無效（過期、自簽或主機名稱不符），請更新憑證。',
          en: 'The site certificate is invalid (expired, self-signed or for another host name); renew it.',
        }, { tlsProblem: problem });
      }
      case 'blocked': {
        const isPrivate = /private|loopback|link-local|reserved|address/i.test(f.error ?? '');
        const evidence = `not fetched: ${f.error ?? 'refused by odbadge'}`;
        const hint = isPrivate
          ? { zh: '網址指向內部網路位址，民眾無法連線；請改用公開網址。', en: 'The URL points at a private network address the public cannot reach; publish a public URL.' }
          : { zh: '僅支援 http/https 連結，請改用網頁可下載的網址。', en: 'Only http and https links can be downloaded by everyone; publish an http(s) URL.' };
        if (isPrivate && opt<'fail' | 'unsure'>(options, 'privateAddress', 'fail') === 'unsure') return unsure(evidence, hint);
        return fail(evidence, hint);
      }
      case 'redirect-loop':
      case 'too-many-redirects':
        return fail(`${f.kind === 'redirect-loop' ? 'redirect loop' : 'too many redirects'} (${f.redirects.length} hops): ${f.redirects.slice(0, 5).map((r) => r.location).join(' → ')}`, {
          zh: '連結重新導向過多或形成循環，請直接提供檔案網址。',
          en: 'The link redirects in a loop or too many times; link the file directly.',
        });
      case 'protocol':
        return fail(`malformed HTTP response: ${f.error ?? ''}`.trim(), {
          zh: '伺服器回應不符合 HTTP 規範，請檢查網站伺服器。',
          en: 'The server does not speak valid HTTP; check the web server.',
        });
    }
  },
};
