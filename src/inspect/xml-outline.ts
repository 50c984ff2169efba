// A minimal linear scan of XML markup: where the top-level elements start and which elements are still open
// when the text ends. fast-xml-parser's validator accepts a second root after a self-closing one (`<a/><b/>`)
// and reports several unclosed elements at "line 1, column 1"; this scan supplies the real positions.
// It is not a validator: it only tracks tags, skipping comments, CDATA, processing instructions, DOCTYPE and
// quoted attribute values, each in one pass.

export interface OutlineTag {
  name: string;
  offset: number;
}

export interface XmlOutline {
  /** The first two elements found at depth 0 (a second one means more than one root). */
  roots: OutlineTag[];
  /** Elements opened but not closed when the text ended, outermost first. */
  open: OutlineTag[];
}

const NAME_END = /[\s/>]/;

function skipPast(text: string, from: number, token: string): number {
  const at = text.indexOf(token, from);
  return at < 0 ? text.length : at + token.length;
}

/** Skips `<!DOCTYPE …[ … ]>`, honouring the internal subset and quoted strings. */
function skipDeclaration(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1);
      if (close < 0) return text.length;
      i = close;
    } else if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === '>' && depth === 0) return i + 1;
  }
  return text.length;
}

/** Index just past the '>' ending a start tag, or text.length; `selfClosing` when it ends in "/>". */
function skipStartTag(text: string, from: number): { end: number; selfClosing: boolean } {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1);
      if (close < 0) return { end: text.length, selfClosing: false };
      i = close;
    } else if (c === '>') {
      return { end: i + 1, selfClosing: text[i - 1] === '/' };
    }
  }
  return { end: text.length, selfClosing: false };
}

export function scanXmlOutline(text: string): XmlOutline {
  const roots: OutlineTag[] = [];
  const open: OutlineTag[] = [];
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      i = skipPast(text, lt + 4, '-->');
    } else if (text.startsWith('<![CDATA[', lt)) {
      i = skipPast(text, lt + 9, ']]>');
    } else if (text[lt + 1] === '!') {
      i = skipDeclaration(text, lt + 2);
    } else if (text[lt + 1] === '?') {
      i = skipPast(text, lt + 2, '?>');
    } else if (text[lt + 1] === '/') {
      let j = lt + 2;
      while (j < text.length && !NAME_END.test(text[j])) j++;
      const name = text.slice(lt + 2, j);
      // Pop to the matching element; a mismatch is the validator's business, not ours. The look-back is
      // bounded so that thousands of stray closing tags under a deep stack stay linear.
      for (let k = open.length - 1; k >= 0 && k >= open.length - 64; k--) {
        if (open[k].name === name) {
          open.length = k;
          break;
        }
      }
      i = skipPast(text, j, '>');
    } else {
      let j = lt + 1;
      while (j < text.length && !NAME_END.test(text[j])) j++;
      const name = text.slice(lt + 1, j);
      if (name === '') {
        i = lt + 1;
        continue;
      }
      const { end, selfClosing } = skipStartTag(text, j);
      if (open.length === 0 && roots.length < 2) roots.push({ name, offset: lt });
      if (!selfClosing) open.push({ name, offset: lt });
      i = end;
    }
  }
  return { roots, open };
}
