// A minimal linear scan of XML markup: where the top-level elements start and which elements are still open
// when the text ends. fast-xml-parser's validator accepts a second root after a self-closing one (`<a/><b/>`)
// and reports several unclosed elements at "line 1, column 1"; this scan supplies the real positions.
// It is not a validator: it only tracks tags, skipping comments, CDATA, processing instructions, DOCTYPE and
// quoted attribute values, each in one pass. On the way it measures what the inspection limits bound: the deepest
// nesting, the most attributes on one element, and the longest text run or attribute value (with where each is).

export interface OutlineTag {
  name: string;
  offset: number;
}

export interface XmlOutline {
  /** The first two elements found at depth 0 (a second one means more than one root). */
  roots: OutlineTag[];
  /** Elements opened but not closed when the text ended, outermost first. */
  open: OutlineTag[];
  /** Deepest nesting of elements, and the offset of the element that reached it first. */
  maxDepth: { depth: number; offset: number };
  /** Most attributes on one element. */
  maxAttributes: { count: number; offset: number };
  /** Longest text (between tags, or a CDATA section) or attribute value, in characters as written. */
  maxText: { length: number; offset: number };
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

/**
 * Index just past the '>' ending a start tag, or text.length; `selfClosing` when it ends in "/>"; how many quoted
 * values (attributes) it holds and the longest one.
 */
function skipStartTag(text: string, from: number): { end: number; selfClosing: boolean; attributes: number; longest: number; longestAt: number } {
  let attributes = 0;
  let longest = 0;
  let longestAt = from;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1);
      if (close < 0) return { end: text.length, selfClosing: false, attributes, longest: Math.max(longest, text.length - i), longestAt: i };
      attributes++;
      if (close - i - 1 > longest) {
        longest = close - i - 1;
        longestAt = i;
      }
      i = close;
    } else if (c === '>') {
      return { end: i + 1, selfClosing: text[i - 1] === '/', attributes, longest, longestAt };
    }
  }
  return { end: text.length, selfClosing: false, attributes, longest, longestAt };
}

export function scanXmlOutline(text: string): XmlOutline {
  const roots: OutlineTag[] = [];
  const open: OutlineTag[] = [];
  const maxDepth = { depth: 0, offset: 0 };
  const maxAttributes = { count: 0, offset: 0 };
  const maxText = { length: 0, offset: 0 };
  const textRun = (from: number, to: number) => {
    if (to - from > maxText.length) {
      maxText.length = to - from;
      maxText.offset = from;
    }
  };
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    textRun(i, lt < 0 ? text.length : lt);
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      i = skipPast(text, lt + 4, '-->');
    } else if (text.startsWith('<![CDATA[', lt)) {
      i = skipPast(text, lt + 9, ']]>');
      textRun(lt + 9, i - 3);
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
      const { end, selfClosing, attributes, longest, longestAt } = skipStartTag(text, j);
      if (open.length === 0 && roots.length < 2) roots.push({ name, offset: lt });
      if (open.length + 1 > maxDepth.depth) {
        maxDepth.depth = open.length + 1;
        maxDepth.offset = lt;
      }
      if (attributes > maxAttributes.count) {
        maxAttributes.count = attributes;
        maxAttributes.offset = lt;
      }
      if (longest > maxText.length) {
        maxText.length = longest;
        maxText.offset = longestAt;
      }
      if (!selfClosing) open.push({ name, offset: lt });
      i = end;
    }
  }
  return { roots, open, maxDepth, maxAttributes, maxText };
}
