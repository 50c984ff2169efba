// 資料資源連結有效性: the resource link answers with a success status.
import { msg } from '../messages/index.ts';
import type { FetchOutcome } from '../model.ts';
import { option } from './options.ts';
import { fail, pass, resourceRule, unsure, verdict } from './rule.ts';

const statuses = (f: FetchOutcome) => f.redirects.map((r) => r.status);

export const linkValid = resourceRule({
  id: 'link-valid',
  scope: 'resource',
  title: { zh: '資料資源連結有效性', en: 'Resource link works' },
  docs: 'src/rules/link-valid.md',
  source: '政府資料開放優質標章 (2017) 可取得性',
  options: {
    incompleteChain: option.oneOf(['pass', 'unsure', 'fail'], 'unsure', "Verdict when the server's TLS chain misses an intermediate certificate."),
    privateAddress: option.oneOf(['fail', 'unsure'], 'fail', 'Verdict when the URL resolves to a private or loopback address and the guard is on.'),
  },
  check({ fetch: f, options }) {
    switch (f.kind) {
      case 'ok':
      case 'too-large':
        return pass(msg('link-valid.ok', { ...(f.status !== undefined ? { status: f.status } : {}), redirects: statuses(f), url: f.finalUrl }), { status: f.status });
      case 'http-error':
        if (f.transient) {
          return unsure(msg('link-valid.http-transient', { status: f.status, attempts: f.attempts, redirects: statuses(f) }), { status: f.status, attempts: f.attempts });
        }
        return fail(msg('link-valid.http-error', { status: f.status, redirects: statuses(f) }), { status: f.status });
      case 'dns':
        return fail(msg('link-valid.dns', { error: f.error }));
      case 'timeout':
        return unsure(msg('link-valid.timeout', { attempts: f.attempts, error: f.error }), { attempts: f.attempts });
      case 'network':
        return unsure(msg('link-valid.network', { attempts: f.attempts, error: f.error }), { attempts: f.attempts });
      case 'tls': {
        const problem = f.tlsProblem ?? 'other';
        if (problem === 'incomplete-chain') {
          const m = msg('link-valid.tls-incomplete-chain', { error: f.error });
          if (options.incompleteChain === 'pass') return { ...pass(m), hintOnPass: true };
          return verdict(options.incompleteChain, m, { tlsProblem: problem });
        }
        return fail(msg('link-valid.tls-invalid', { problem, error: f.error }), { tlsProblem: problem });
      }
      case 'blocked': {
        const isPrivate = /private|loopback|link-local|reserved|address/i.test(f.error ?? '');
        if (!isPrivate) return fail(msg('link-valid.not-http', { error: f.error }));
        return verdict(options.privateAddress, msg('link-valid.private-address', { error: f.error }));
      }
      case 'redirect-loop':
      case 'too-many-redirects': {
        const p = { hops: f.redirects.length, locations: f.redirects.slice(0, 5).map((r) => r.location) };
        return fail(f.kind === 'redirect-loop' ? msg('link-valid.redirect-loop', p) : msg('link-valid.too-many-redirects', p));
      }
      case 'protocol':
        return fail(msg('link-valid.protocol', { error: f.error }));
    }
  },
});
