// Recognises a JSON body that is an error or "no data" message instead of data — the 200-status
// {"message":"查無資料"} users complain about. Only the top level is examined: envelopes put their status there.

import { isPlainObject } from './json-records.ts';

const MAX_MESSAGE = 300;

/** Keys that carry a human-readable message, most specific first (compared case-insensitively). */
const MESSAGE_KEYS = [
  'error', 'errors', 'error_message', 'errormessage', 'errmsg', 'error_description', 'errordescription',
  'message', 'msg', 'detail', 'details', 'reason', 'status_message', 'statusmessage', 'returnmessage',
];
const FAILED_STATUS = new Set(['error', 'err', 'fail', 'failed', 'failure', 'false', 'ng']);
const OK_STATUS = new Set(['ok', 'success', 'succeeded', 'true', '200']);

function clip(s: string): string {
  const t = s.trim().replace(/\s+/g, ' ');
  return t.length > MAX_MESSAGE ? `${t.slice(0, MAX_MESSAGE)}…` : t;
}

/** A message out of a string, `{message: …}` or `[{message: …}, …]`. */
function messageFrom(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : clip(v);
  if (Array.isArray(v)) return v.length > 0 ? messageFrom(v[0]) : undefined;
  if (isPlainObject(v)) {
    for (const k of Object.keys(v)) {
      const lk = k.toLowerCase();
      if (lk === 'message' || lk === 'msg' || lk === 'detail' || lk === 'description') {
        const inner = v[k];
        if (typeof inner === 'string' && inner.trim() !== '') return clip(inner);
      }
    }
  }
  return undefined;
}

function lowerKeyed(o: Record<string, unknown>): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (const k of Object.keys(o)) {
    const lk = k.toLowerCase();
    if (!m.has(lk)) m.set(lk, o[k]);
  }
  return m;
}

function statusOf(m: Map<string, unknown>): 'failed' | 'ok' | 'unknown' {
  if (m.get('success') === false || m.get('ok') === false || m.get('error') === true) return 'failed';
  for (const key of ['status', 'result', 'state']) {
    const s = m.get(key);
    if (typeof s === 'string' && FAILED_STATUS.has(s.trim().toLowerCase())) return 'failed';
    if (typeof s === 'number' && s >= 400 && s < 600) return 'failed';
  }
  for (const key of ['statuscode', 'httpstatus']) {
    const s = m.get(key);
    if (typeof s === 'number' && s >= 400 && s < 600) return 'failed';
  }
  if (m.get('success') === true || m.get('ok') === true) return 'ok';
  const s = m.get('status');
  if (typeof s === 'string' && OK_STATUS.has(s.trim().toLowerCase())) return 'ok';
  return 'unknown';
}

/**
 * The message when `root` is an error/no-data body rather than data, else undefined.
 * `hasRecords`: a non-empty record array was found, so the body is data whatever its message says.
 */
export function errorMessageOf(root: unknown, hasRecords: boolean): string | undefined {
  if (typeof root === 'string') return root.trim() === '' ? 'empty string instead of data' : clip(root);
  if (!isPlainObject(root)) return undefined;
  const m = lowerKeyed(root);
  let message: string | undefined;
  for (const k of MESSAGE_KEYS) {
    if (!m.has(k)) continue;
    message = messageFrom(m.get(k));
    if (message) break;
  }
  const status = statusOf(m);
  if (status === 'failed') return message ?? 'the response reports failure (success: false) without a message';
  if (hasRecords || status === 'ok') return undefined;
  const err = messageFrom(m.get('error')) ?? messageFrom(m.get('errors'));
  if (err) return err;
  // {"message":"查無資料"}: a small object whose only content is a message.
  if (message && m.size <= 5) return message;
  return undefined;
}
