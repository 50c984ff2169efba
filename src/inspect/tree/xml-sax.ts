// saxes under limits. saxes emits a text node, an attribute value or a name only when it ends, and until then
// concatenates it across every chunk written — a 300 MB text node is a 300 MB string before any handler sees it.
// So after every slice written this wrapper looks at saxes's pending buffers and stops (LimitExceeded) once one passes
// the text limit; it also stops at the nesting and attribute limits before saxes's tag stack or attribute list grow.
// The pending buffers are saxes internals (6.0.0): their shape is checked when a parser is made, so an upgrade that
// renames them fails loudly in tests instead of silently unbounding the readers.
import { SaxesParser } from 'saxes';
import { exceeded, type InspectLimits } from '../limits.ts';

export interface SaxHandlers {
  open?(name: string, attrs: Record<string, string>, selfClosing: boolean): void;
  text?(text: string): void;
  close?(name: string): void;
  /** Names what is being read when a text goes past the limit, e.g. "shared string 7" or "cell Sheet1!B2". */
  textWhere?(): string;
}

export interface SaxBounds {
  /** What a text node or attribute value is held to, e.g. maxCellChars in a workbook part, maxXmlTextChars elsewhere. */
  text: { name: keyof InspectLimits; value: number };
  maxDepth: number;
  maxAttributes: number;
  /** The part being parsed, for evidence (e.g. `xl/sharedStrings.xml`). */
  part: string;
}

interface SaxesPending {
  text: string;
  name: string;
  piTarget: string;
  entity: string;
  attribList: unknown[];
}

/** Slices written to saxes at once: the pending buffers overshoot a limit by at most this much. */
const SLICE_CHARS = 64 * 1024;

const local = (name: string) => name.slice(name.indexOf(':') + 1);

export class BoundedSax {
  private readonly parser = new SaxesParser();
  private readonly pending: SaxesPending;
  private readonly bounds: SaxBounds;
  private readonly textWhere: (() => string) | undefined;
  private failure: Error | undefined;
  private depth = 0;

  constructor(handlers: SaxHandlers, bounds: SaxBounds) {
    this.bounds = bounds;
    this.textWhere = handlers.textWhere;
    this.pending = this.parser as unknown as SaxesPending;
    if (typeof this.pending.text !== 'string' || typeof this.pending.name !== 'string' || !Array.isArray(this.pending.attribList)) {
      throw new Error('saxes no longer exposes its pending buffers (text, name, attribList): xml-sax.ts cannot bound it');
    }
    this.parser.on('error', (e) => {
      this.failure ??= e;
    });
    this.parser.on('opentag', (tag) => {
      if (++this.depth > bounds.maxDepth) {
        throw exceeded('maxXmlDepth', bounds.maxDepth, `${bounds.part} nests elements more than ${bounds.maxDepth} levels deep`, { observed: this.depth, where: bounds.part });
      }
      const attrs = tag.attributes as Record<string, string>;
      let n = 0;
      for (const _ in attrs) n++;
      if (n > bounds.maxAttributes) {
        throw exceeded('maxXmlAttributes', bounds.maxAttributes, `<${tag.name}> in ${bounds.part} has ${n} attributes`, { observed: n, where: bounds.part });
      }
      handlers.open?.(local(tag.name), attrs, tag.isSelfClosing);
    });
    this.parser.on('closetag', (tag) => {
      this.depth--;
      handlers.close?.(local(tag.name));
    });
    if (handlers.text) {
      this.parser.on('text', (t) => handlers.text!(t));
      this.parser.on('cdata', (t) => handlers.text!(t));
    }
  }

  /** Write a chunk; throws the first XML error, or LimitExceeded. */
  write(chunk: string): void {
    for (let i = 0; i < chunk.length; i += SLICE_CHARS) {
      this.parser.write(chunk.length <= SLICE_CHARS ? chunk : chunk.slice(i, i + SLICE_CHARS));
      if (this.failure) throw this.failure;
      this.check();
    }
  }

  close(): void {
    this.parser.close();
    if (this.failure) throw this.failure;
  }

  private check(): void {
    const p = this.pending;
    const { text, part } = this.bounds;
    const longest = Math.max(p.text.length, p.name.length, p.piTarget.length, p.entity.length);
    if (longest > text.value) {
      const what = p.text.length === longest && this.textWhere ? `${this.textWhere()} of ${part}` : `a text, name or attribute value in ${part}`;
      throw exceeded(text.name, text.value, `${what} has more than ${text.value} characters`, { observed: longest, where: part });
    }
    if (p.attribList.length > this.bounds.maxAttributes) {
      throw exceeded('maxXmlAttributes', this.bounds.maxAttributes, `an element in ${part} has more than ${this.bounds.maxAttributes} attributes`, { observed: p.attribList.length, where: part });
    }
  }
}
