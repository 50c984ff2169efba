// Format sniffing from the first bytes. Content wins over labels: Content-Type, the URL's extension and the declared
// 檔案格式 are hints used only where the bytes cannot decide (e.g. a one-column CSV versus plain text).
import type { DetectedFormat, ResourceFacts } from '../model.ts';
import { detectDelimiter } from './table/csv-delimiter.ts';
import { classifyZipNames, walkLocalHeaders } from './archive/zip.ts';

export interface SniffHints {
  contentType?: string;
  url?: string;
  declaredFormat?: string;
}

export interface SniffResult {
  format: DetectedFormat;
  evidence: string;
}

const SAMPLE = 64 * 1024;

function startsWith(head: Uint8Array, sig: number[], at = 0): boolean {
  if (head.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (head[at + i] !== sig[i]) return false;
  return true;
}

/** The head as text for content sniffing: UTF-16 by BOM, otherwise UTF-8 with replacement (ASCII markup survives). */
export function headText(head: Uint8Array): string {
  const h = head.subarray(0, SAMPLE);
  if (startsWith(h, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(h);
  if (startsWith(h, [0xfe, 0xff])) return new TextDecoder('utf-16be').decode(h);
  return new TextDecoder('utf-8').decode(h);
}

function hintText(hints: SniffHints): string {
  const parts: string[] = [];
  if (hints.contentType) parts.push(`Content-Type ${hints.contentType}`);
  if (hints.declaredFormat) parts.push(`declared ${hints.declaredFormat}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function hintedFormat(hints: SniffHints): string {
  const ct = (hints.contentType ?? '').toLowerCase();
  const ext = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(hints.url ?? '')?.[1]?.toLowerCase() ?? '';
  const declared = (hints.declaredFormat ?? '').toLowerCase();
  return `${ct} ${ext} ${declared}`;
}

export function sniffFormat(head: Uint8Array, hints: SniffHints = {}): SniffResult {
  const h = hintText(hints);
  if (head.length === 0) return { format: 'empty', evidence: `empty body (0 bytes)${h}` };

  // Binary signatures
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46])) return { format: 'pdf', evidence: `starts with %PDF${h}` };
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) {
    const names = walkLocalHeaders(head).map((e) => e.name);
    const z = classifyZipNames(names, head);
    return { format: z.format, evidence: `starts with PK\\x03\\x04: ${z.evidence}${h}` };
  }
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    // OLE2 compound file: Excel 97–2003 or Word 97–2003. Stream names are UTF-16 in the directory sector.
    const text = new TextDecoder('utf-16le').decode(head.subarray(0, Math.min(head.length, 1 << 20)));
    if (/Workbook|Book/.test(text)) return { format: 'xls', evidence: `OLE2 compound file (D0CF11E0) with a Workbook stream${h}` };
    if (/WordDocument/.test(text)) return { format: 'doc', evidence: `OLE2 compound file (D0CF11E0) with a WordDocument stream${h}` };
    const hinted = hintedFormat(hints);
    const guess: DetectedFormat = /xls|excel|spreadsheet/.test(hinted) ? 'xls' : /doc|word/.test(hinted) ? 'doc' : 'xls';
    return { format: guess, evidence: `OLE2 compound file (D0CF11E0); stream names not in the sample, ${guess.toUpperCase()} by hint${h}` };
  }
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47])) return { format: 'image', evidence: `PNG signature${h}` };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { format: 'image', evidence: `JPEG signature${h}` };
  if (startsWith(head, [0x47, 0x49, 0x46, 0x38])) return { format: 'image', evidence: `GIF signature${h}` };
  if (startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head, [0x57, 0x45, 0x42, 0x50], 8)) return { format: 'image', evidence: `WebP signature${h}` };
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return { format: 'image', evidence: `TIFF signature${h}` };
  if (startsWith(head, [0x42, 0x4d]) && head.length > 14 && /bmp|image/.test(hintedFormat(hints))) return { format: 'image', evidence: `BMP signature${h}` };
  if (startsWith(head, [0x00, 0x00, 0x27, 0x0a])) return { format: 'shp', evidence: `ESRI shapefile header (file code 9994)${h}` };
  if (startsWith(head, [0x1f, 0x8b])) return { format: 'unknown', evidence: `gzip stream (not decompressed by the server)${h}` };
  if (startsWith(head, [0x52, 0x61, 0x72, 0x21]) || startsWith(head, [0x37, 0x7a, 0xbc, 0xaf])) {
    return { format: 'unknown', evidence: `RAR or 7-Zip archive${h}` };
  }

  const text = headText(head).replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  if (trimmed === '') return { format: 'empty', evidence: `body is only whitespace (${head.length} bytes)${h}` };

  const lower = trimmed.slice(0, 4096).toLowerCase();
  const afterProlog = skipProlog(lower);
  if (/^<!doctype\s+html/.test(afterProlog) || /^<(html|head|body)[\s>]/.test(afterProlog)) {
    return { format: 'html', evidence: `HTML markup (${/<!doctype/.test(lower) ? '<!DOCTYPE html>' : '<html>'})${h}` };
  }
  if (/^<(script|meta|title|div|table|form|link|style|p|br|center|iframe)[\s>/]/.test(lower)) {
    return { format: 'html', evidence: `HTML fragment starting with <${/^<([a-z]+)/.exec(lower)![1]}>${h}` };
  }
  if (trimmed.startsWith('<')) return xmlFlavour(trimmed, h);
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return jsonFlavour(trimmed, head.length > SAMPLE, h);

  // Tables and text
  const hinted = hintedFormat(hints);
  const complete = head.length <= SAMPLE;
  const guess = detectDelimiter(text, complete);
  const enough = guess.sampledLines >= 2 ? guess.consistentLines >= Math.max(2, Math.ceil(guess.sampledLines * 0.5)) : guess.consistentLines >= 1;
  if (guess.consistentLines > 0 && enough) {
    const fmt: DetectedFormat = guess.delimiter === '\t' ? 'tsv' : 'csv';
    return { format: fmt, evidence: `delimited text: ${guess.evidence}${h}` };
  }
  // Binary before the hint: a body of NUL bytes (a bomb cut at the cap) declared CSV is not a one-column table.
  const controls = countControls(text);
  if (controls > text.length * 0.1) return { format: 'unknown', evidence: `binary content (${controls} control characters in the first ${text.length})${h}` };
  if (/csv|tsv|text\/plain/.test(hinted) && !/html/.test(hinted)) {
    const fmt: DetectedFormat = /tsv|tab-separated/.test(hinted) ? 'tsv' : 'csv';
    if (/csv|tsv/.test(hinted)) return { format: fmt, evidence: `text without a consistent delimiter, taken as a one-column ${fmt.toUpperCase()} because of the hint${h}` };
  }
  return { format: 'text', evidence: `plain text without a table structure${h}` };
}

function countControls(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) n++;
  }
  return n;
}

/** Root element name after the prolog, comments, processing instructions and DOCTYPE. */
export function xmlRootName(text: string): string | undefined {
  return /^<([A-Za-z_][\w.:-]*)/.exec(skipProlog(text, true))?.[1];
}

/**
 * Skip the XML declaration, processing instructions, comments and (optionally) a DOCTYPE, with indexOf scans
 * rather than a backtracking regex, so hostile input ("<!----><!---->…") costs linear time.
 */
function skipProlog(text: string, doctype = false): string {
  let i = 0;
  for (let guard = 0; guard < 10_000; guard++) {
    while (i < text.length && /\s/.test(text[i])) i++;
    let end = -1;
    if (text.startsWith('<?', i)) end = text.indexOf('?>', i + 2) + 2;
    else if (text.startsWith('<!--', i)) end = text.indexOf('-->', i + 4) + 3;
    else if (doctype && /^<!doctype/i.test(text.slice(i, i + 9))) {
      const bracket = text.indexOf('[', i);
      const close = text.indexOf('>', i);
      end = bracket >= 0 && bracket < close ? text.indexOf(']', bracket) : close;
      if (end >= 0) end = text.indexOf('>', end) + 1;
      else end = 0;
    } else break;
    if (end <= 0) return text.slice(i); // unterminated: leave it for the caller to judge
    i = end;
  }
  return text.slice(i);
}

function xmlFlavour(text: string, h: string): SniffResult {
  const root = xmlRootName(text);
  if (!root) return { format: 'xml', evidence: `starts with "<" but no root element in the sample${h}` };
  const local = root.includes(':') ? root.split(':')[1] : root;
  const head = text.slice(0, 4096);
  if (local === 'kml') return { format: 'kml', evidence: `XML with root <${root}>${h}` };
  if (local === 'rss' || local === 'RDF') return { format: 'rss', evidence: `XML with root <${root}> (RSS)${h}` };
  if (/^html$/i.test(local)) return { format: 'html', evidence: `XHTML with root <${root}>${h}` };
  if (root.startsWith('gml:') || (/FeatureCollection/.test(local) && /opengis\.net\/(gml|wfs)/.test(head))) {
    return { format: 'gml', evidence: `XML with root <${root}> in the GML namespace${h}` };
  }
  if (local === 'feed' && /w3\.org\/2005\/Atom/.test(head)) return { format: 'xml', evidence: `Atom feed (root <${root}>)${h}` };
  return { format: 'xml', evidence: `XML with root <${root}>${h}` };
}

function jsonFlavour(text: string, cut: boolean, h: string): SniffResult {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length >= 2) {
    const first = lines[0].trim();
    const second = lines[1].trim();
    // JSON Lines: the first line is a complete value on its own and the next starts another one
    if ((second.startsWith('{') || second.startsWith('[')) && parses(first) && (!parses(text) || cut)) {
      return { format: 'jsonl', evidence: `JSON Lines: line 1 is a complete JSON value and line 2 starts another${h}` };
    }
  }
  const head = text.slice(0, 4096);
  if (text.startsWith('{') && /"type"\s*:\s*"(FeatureCollection|Feature)"/.test(head)) {
    return { format: 'geojson', evidence: `JSON object with "type": "${/"type"\s*:\s*"(FeatureCollection|Feature)"/.exec(head)![1]}"${h}` };
  }
  return { format: 'json', evidence: `starts with "${text[0]}"${h}` };
}

function parses(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

export type NotData = NonNullable<ResourceFacts['notData']>;

const NO_DATA_PHRASES = [/查無(相關)?資料/, /無(相關)?資料/, /沒有(相關)?資料/, /資料不存在/, /\bno (data|records?|results?)( found)?\b/i, /\bnot found\b/i];

function excerpt(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 120 ? `${one.slice(0, 117)}…` : one;
}

/**
 * A 200 body that is a message instead of data: "查無資料", an HTML error or login page, a JSON error envelope.
 * Short bodies only for the phrase check, so a dataset that mentions 無資料 in one cell is not flagged.
 */
export function detectNotData(text: string, format: DetectedFormat): NotData | undefined {
  const body = text.replace(/^\uFEFF/, '').trim();
  if (body === '') return { kind: 'empty', excerpt: '' };
  if (format === 'html') {
    const lower = body.slice(0, 200_000).toLowerCase();
    const title = htmlTitle(body.slice(0, 200_000));
    if (/type\s*=\s*["']?password/.test(lower) || (/<form/.test(lower) && /(login|signin|sign-in|log-in|登入|登錄|帳號)/.test(lower))) {
      return { kind: 'login-page', excerpt: excerpt(title || 'page with a password field / login form') };
    }
    return { kind: 'html-page', excerpt: excerpt(title || body.slice(0, 4000).replace(/<[^<>]*>/g, ' ').slice(0, 200)) };
  }
  if (format === 'json' || format === 'geojson' || format === 'jsonl') {
    const e = jsonErrorEnvelope(body);
    if (e) return { kind: 'json-error', excerpt: excerpt(e) };
  }
  const lines = body.split(/\r?\n|\r/).filter((l) => l.trim() !== '').length;
  // a table with data rows is data even if one cell says 無資料: only a one-line table can be a bare message
  const maxLines = format === 'csv' || format === 'tsv' ? 1 : 3;
  if (body.length <= 300 && lines <= maxLines) {
    const plain = body.replace(/<[^<>]*>/g, ' ');
    if (NO_DATA_PHRASES.some((re) => re.test(plain))) return { kind: 'no-data-text', excerpt: excerpt(plain) };
  }
  return undefined;
}

/** The first <title>…</title>, found with simple scans (linear even for hostile pages). */
function htmlTitle(body: string): string {
  const open = /<title/i.exec(body);
  if (!open) return '';
  const gt = body.indexOf('>', open.index);
  if (gt < 0) return '';
  const close = /<\/title/i.exec(body.slice(gt + 1));
  if (!close) return '';
  return body.slice(gt + 1, gt + 1 + close.index).replace(/\s+/g, ' ').trim();
}

/** `{"error": …}`, `{"success": false, …}`, `{"status": "error"}`: the excerpt, or undefined for data. */
function jsonErrorEnvelope(body: string): string | undefined {
  if (!body.startsWith('{') || body.length > 100_000) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).map((k) => k.toLowerCase());
  const msg = (): string => {
    for (const k of Object.keys(o)) if (/^(error|errors|message|msg|errormessage|error_description)$/i.test(k) && o[k]) return `${k}: ${typeof o[k] === 'string' ? o[k] : JSON.stringify(o[k])}`;
    return JSON.stringify(o).slice(0, 200);
  };
  if (o.success === false || o.Success === false || o.status === 'error' || o.status === 'fail') return msg();
  if (keys.includes('error') && o[Object.keys(o).find((k) => k.toLowerCase() === 'error')!] && keys.length <= 4) return msg();
  return undefined;
}
