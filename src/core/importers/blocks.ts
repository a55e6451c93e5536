/** A paragraph or table part being collected while a word-processor document's XML is read. */
export interface TextBlock {
  kind: string;
  text: string;
  parts: string[];
}

/**
 * The text a finished block hands to its parent: a paragraph's runs; a table cell on one line;
 * a row's cells separated by tabs; a table's rows one per line. DOCX and ODT share this shape.
 */
export function closedBlockText(block: TextBlock): string[] {
  switch (block.kind) {
    case 'p':
      return [block.text, ...block.parts];
    case 'tc':
      return [block.parts.map((p) => p.replace(/\s+/gu, ' ').trim()).filter((p) => p.length > 0).join(' ')];
    case 'tr':
      return [block.parts.join('\t').replace(/\t+$/u, '')];
    case 'tbl':
      return [block.parts.filter((p) => p.length > 0).join('\n')];
    default:
      return block.parts;
  }
}
