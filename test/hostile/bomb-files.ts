// Hostile workbooks and archives generated in the test, never committed: a part of hundreds of megabytes is deflated
// one 1 MiB chunk at a time (each ended with a full flush, so the pieces concatenate into one valid raw-deflate
// stream) and the same compressed chunk is repeated, so a 300 MB shared string costs a second to build and never
// exists in memory. `noisy` chunks compress about 50:1 instead of 1000:1 — under the ZIP ratio limit, so the
// parsers' own limits are what stops them.
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { buildZip, type DeflatedZipEntry, type ZipEntry } from '../../src/util/zip-writer.ts';

const CHUNK = 1 << 20;
const piece = (s: string | Buffer, last = false) => deflateRawSync(s, { level: 9, finishFlush: last ? constants.Z_FINISH : constants.Z_FULL_FLUSH });

/** prefix + unit×count + suffix, deflated without building the text. */
export function repeatedPart(name: string, prefix: string, unit: string, count: number, suffix: string): DeflatedZipEntry {
  const per = Math.max(1, Math.floor(CHUNK / Buffer.byteLength(unit)));
  return chunkedPart(name, prefix, Buffer.from(unit.repeat(per)), Math.floor(count / per), unit.repeat(count % per), suffix);
}

/**
 * prefix + `chars` characters of filler + suffix, where the filler is 'A' with a pseudo-random capital every 200
 * characters (ratio ≈ 50:1, the 1 MiB period defeats deflate's 32 KiB window) or plain 'A' (ratio ≈ 1000:1).
 */
export function longTextPart(name: string, prefix: string, chars: number, suffix: string, noisy: boolean): DeflatedZipEntry {
  const chunk = Buffer.alloc(CHUNK, 'A');
  if (noisy) {
    let x = 12345;
    for (let i = 199; i < CHUNK; i += 200) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      chunk[i] = 65 + (x % 26);
    }
  }
  return chunkedPart(name, prefix, chunk, Math.floor(chars / CHUNK), 'A'.repeat(chars % CHUNK), suffix);
}

/** Tiny shared strings `<si><t>xy</t></si>`, two pseudo-random letters each (ratio ≈ 10:1), `count` of them. */
export function tinyStringsPart(count: number, noisy: boolean): DeflatedZipEntry {
  const prefix = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="${SSML}">`;
  if (!noisy) return repeatedPart('xl/sharedStrings.xml', prefix, '<si><t>a</t></si>', count, '</sst>');
  const unit = 18;
  const per = Math.floor(CHUNK / unit);
  let s = '';
  let x = 777;
  for (let i = 0; i < per; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    s += `<si><t>${String.fromCharCode(97 + (x % 26), 97 + ((x >> 8) % 26))}</t></si>`;
  }
  return chunkedPart('xl/sharedStrings.xml', prefix, Buffer.from(s), Math.floor(count / per), s.slice(0, (count % per) * unit), '</sst>');
}

function chunkedPart(name: string, prefix: string, chunk: Buffer, times: number, rest: string, suffix: string): DeflatedZipEntry {
  const head = piece(prefix);
  const body = piece(chunk);
  const tail = piece(rest);
  const end = piece(suffix, true);
  let crc = crc32(prefix);
  for (let i = 0; i < times; i++) crc = crc32(chunk, crc);
  crc = crc32(suffix, crc32(rest, crc));
  const size = Buffer.byteLength(prefix) + chunk.length * times + Buffer.byteLength(rest) + Buffer.byteLength(suffix);
  return { name, deflated: Buffer.concat([head, ...Array<Buffer>(times).fill(body), tail, end]), size, crc };
}

const SSML = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A one-sheet XLSX; the sheet XML and the shared-string part may be replaced by hostile ones. */
export function xlsx(opts: { sheetData?: string; sheet?: DeflatedZipEntry; sharedStrings?: DeflatedZipEntry | string; zip64?: boolean }): Buffer {
  const sheet = opts.sheet ?? {
    name: 'xl/worksheets/sheet1.xml',
    data: `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${SSML}"><sheetData>${opts.sheetData ?? '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>1</v></c></row>'}</sheetData></worksheet>`,
  };
  const shared: ZipEntry | DeflatedZipEntry | undefined =
    typeof opts.sharedStrings === 'string' ? { name: 'xl/sharedStrings.xml', data: opts.sharedStrings } : opts.sharedStrings;
  const entries: (ZipEntry | DeflatedZipEntry)[] = [
    { name: '[Content_Types].xml', data: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>${shared ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' : ''}</Types>` },
    { name: '_rels/.rels', data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>` },
    { name: 'xl/workbook.xml', data: `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${SSML}" xmlns:r="${REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>` },
    { name: 'xl/_rels/workbook.xml.rels', data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>${shared ? `<Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` : ''}</Relationships>` },
    sheet,
    ...(shared ? [shared] : []),
  ];
  return buildZip(entries, { zip64: opts.zip64 === true });
}

/** The XLSX of the issue: one shared string of `chars` characters (300 MB → a 312 KB file when not noisy). */
export function longSharedStringXlsx(chars: number, noisy = false): Buffer {
  return xlsx({ sharedStrings: longTextPart('xl/sharedStrings.xml', `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${SSML}" count="1" uniqueCount="1"><si><t>`, chars, '</t></si></sst>', noisy) });
}

/** The XLSX of the issue: `count` tiny shared strings. */
export function manySharedStringsXlsx(count: number, noisy = false): Buffer {
  return xlsx({ sharedStrings: tinyStringsPart(count, noisy) });
}

const ODS_NS = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"';

/** An ODS whose content.xml body (inside <office:spreadsheet>) is given, or replaced whole by a hostile part. */
export function ods(opts: { tables?: string; content?: DeflatedZipEntry }): Buffer {
  const content = opts.content ?? {
    name: 'content.xml',
    data: `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${ODS_NS}><office:body><office:spreadsheet>${opts.tables ?? ''}</office:spreadsheet></office:body></office:document-content>`,
  };
  return buildZip([
    { name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet', stored: true },
    { name: 'META-INF/manifest.xml', data: '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/></manifest:manifest>' },
    content,
    { name: 'styles.xml', data: `<?xml version="1.0" encoding="UTF-8"?><office:document-styles ${ODS_NS}><office:styles/></office:document-styles>` },
  ]);
}

/** The ODS of the issue: a header row, then one cell of `chars` characters. */
export function longCellOds(chars: number, noisy = false): Buffer {
  const head = `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${ODS_NS}><office:body><office:spreadsheet><table:table table:name="Sheet1"><table:table-row><table:table-cell office:value-type="string"><text:p>名稱</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell office:value-type="string"><text:p>`;
  return ods({ content: longTextPart('content.xml', head, chars, '</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>', noisy) });
}
