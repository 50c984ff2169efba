// Loopback handlers whose content a test can change between audits, answering conditional requests as a
// well-behaved server does (ETag + 304), or not at all.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Versioned {
  body: string;
  status?: number;
  /** Send an ETag and honour If-None-Match (default true). */
  etag?: boolean;
  contentType?: string;
}

export function versioned(state: Versioned, counters?: { notModified: number; full: number }) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const tag = `"${createHash('sha1').update(state.body).digest('hex').slice(0, 16)}"`;
    const useTag = state.etag !== false && (state.status ?? 200) === 200;
    if (useTag && req.headers['if-none-match'] === tag) {
      if (counters) counters.notModified++;
      res.writeHead(304, { etag: tag }).end();
      return;
    }
    if (counters) counters.full++;
    res.writeHead(state.status ?? 200, { 'content-type': state.contentType ?? 'text/csv; charset=utf-8', ...(useTag ? { etag: tag } : {}) });
    res.end(state.body);
  };
}
