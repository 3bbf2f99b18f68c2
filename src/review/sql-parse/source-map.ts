/**
 * Byte offsets to line and column. The PostgreSQL parser reports locations as byte offsets into
 * the UTF-8 text; editors and SARIF want 1-based lines and columns counted in characters.
 */

export interface SourcePosition {
  /** 0-based index into the JavaScript string. */
  readonly index: number;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units like every editor protocol. */
  readonly column: number;
}

export class SourceMap {
  readonly text: string;
  private readonly lineStarts: number[];
  /** byte offset -> string index; absent when the text is pure ASCII (the common case). */
  private readonly byteToIndex: Uint32Array | undefined;

  constructor(text: string) {
    this.text = text;
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    const byteLength = Buffer.byteLength(text, 'utf8');
    if (byteLength === text.length) {
      this.byteToIndex = undefined;
      return;
    }
    const map = new Uint32Array(byteLength + 1);
    let byte = 0;
    for (let index = 0; index < text.length; index++) {
      const code = text.codePointAt(index)!;
      const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      for (let k = 0; k < width; k++) map[byte + k] = index;
      byte += width;
      if (code >= 0x10000) index++; // a surrogate pair is one code point
    }
    map[byteLength] = text.length;
    this.byteToIndex = map;
  }

  /** String index of a parser byte offset. */
  indexOfByte(byteOffset: number): number {
    if (!this.byteToIndex) return Math.min(byteOffset, this.text.length);
    return this.byteToIndex[Math.min(byteOffset, this.byteToIndex.length - 1)]!;
  }

  /** String index of a character offset counted in bytes from `fromIndex` (chunked parsing). */
  byteOffsetOfIndex(index: number): number {
    if (!this.byteToIndex) return index;
    return Buffer.byteLength(this.text.slice(0, index), 'utf8');
  }

  positionOfIndex(index: number): SourcePosition {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= index) low = mid;
      else high = mid - 1;
    }
    return { index, line: low + 1, column: index - this.lineStarts[low]! + 1 };
  }

  positionOfByte(byteOffset: number): SourcePosition {
    return this.positionOfIndex(this.indexOfByte(byteOffset));
  }
}
