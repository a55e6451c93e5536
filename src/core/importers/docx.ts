import { KartotekaError } from '../../shared/errors.ts';
import { closedBlockText } from './blocks.ts';
import { tidyText } from './html.ts';
import type { ExtractContext, Extraction, Importer, Suggestions } from './types.ts';
import { decodeXml, looksLikeZip, openZip, readXml } from './zip-guard.ts';
import type { GuardedZip, XmlHandler } from './zip-guard.ts';

/**
 * Word documents (.docx). We walk word/document.xml ourselves rather than use mammoth's raw
 * text: mammoth drops line breaks inside a paragraph (Shift+Enter, common in letters and
 * addresses), would unzip the file a second time outside our guard, and recurses over the tree.
 * Footnotes and endnotes follow the body; headers, footers and comments are left out.
 */

const W_NAMESPACES = ['http://schemas.openxmlformats.org/wordprocessingml/2006/main', 'http://purl.oclc.org/ooxml/wordprocessingml/main'];
const MATH = '{http://schemas.openxmlformats.org/officeDocument/2006/math}';
const MC = '{http://schemas.openxmlformats.org/markup-compatibility/2006}';
const RELS = '{http://schemas.openxmlformats.org/package/2006/relationships}';
const DC = '{http://purl.org/dc/elements/1.1/}';
const DCTERMS = '{http://purl.org/dc/terms/}';

/** WordprocessingML's local name, for the transitional and the strict namespace alike. */
function wordName(name: string): string | undefined {
  for (const ns of W_NAMESPACES) {
    if (name.length > ns.length + 2 && name.startsWith(ns, 1) && name[0] === '{') return name.slice(ns.length + 2);
  }
  return undefined;
}

/** Parts of a paragraph that never hold its visible text: properties, field codes, deleted text. */
const SKIPPED = new Set([
  'pPr', 'rPr', 'tblPr', 'tblGrid', 'trPr', 'tcPr', 'sectPr', 'sdtPr', 'instrText', 'delText', 'delInstrText',
  'moveFrom', 'del', 'footnoteRef', 'endnoteRef', 'annotationRef', 'commentReference',
]);

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/**
 * What an OLE compound file (the container of old Office formats and of password-protected new
 * ones) holds, judged by the names of its streams; undefined when the bytes are not one.
 */
export function oleCompoundKind(bytes: Uint8Array): 'encrypted' | 'word97' | 'other' | undefined {
  if (bytes.length < 512 || OLE_MAGIC.some((b, i) => bytes[i] !== b)) return undefined;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const has = (stream: string): boolean => buffer.includes(Buffer.from(stream, 'utf16le'));
  if (has('EncryptedPackage') || has('EncryptionInfo')) return 'encrypted';
  if (has('WordDocument')) return 'word97';
  return 'other';
}

/** A partial ISO date (YYYY-MM-DD, YYYY-MM or YYYY) from the start of a W3C/ISO date-time. */
export function datePart(value: string | undefined): string | undefined {
  const match = /^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/u.exec(value ?? '');
  if (match === null) return undefined;
  const [, year, month, day] = match;
  // Programs write 1601 or 1900 for "no date"; no campaign document is that old.
  if (Number(year) < 1901) return undefined;
  return [year, month, day].filter((part) => part !== undefined).join('-');
}

/** Names from a metadata field; Word separates several authors with ';'. */
export function people(value: string | undefined): string[] | undefined {
  const names = (value ?? '').split(/;/u).map((name) => name.replace(/\s+/gu, ' ').trim()).filter((name) => name.length > 0);
  return names.length > 0 ? names : undefined;
}

/** Runs the XML reader over one part of the zip. */
export function readPart(zip: GuardedZip, name: string, handler: XmlHandler, context: ExtractContext): void {
  readXml(decodeXml(zip.read(name)), handler, { maxDepth: context.limits.maxNestingDepth, part: name });
}

/** Opens a zip container, naming the format in the messages of what goes wrong. */
export function openContainer(bytes: Uint8Array, context: ExtractContext, format: string): GuardedZip {
  const { fileName } = context;
  if (bytes.length === 0) throw new KartotekaError('EMPTY_FILE', `${fileName} is empty (0 bytes).`);
  const ole = oleCompoundKind(bytes);
  if (ole === 'encrypted') {
    throw new KartotekaError(
      'ENCRYPTED_FILE',
      `${fileName} is password-protected. Open it in Word or LibreOffice, remove the password (File > Info > Protect Document in Word), save it and import it again.`,
    );
  }
  if (ole === 'word97') {
    throw new KartotekaError(
      'UNSUPPORTED_FORMAT',
      `${fileName} is an old Word 97-2003 document (.doc), not ${format}. Open it in Word or LibreOffice and save it as .docx or .odt.`,
    );
  }
  if (ole === 'other') {
    throw new KartotekaError(
      'ENCRYPTED_FILE',
      `${fileName} is not ${format} but an older Microsoft Office container: a password-protected document or an old .doc/.xls. ` +
        'Open it in Word or LibreOffice, remove any password, save it as .docx or .odt and import it again.',
    );
  }
  if (!looksLikeZip(bytes)) {
    throw new KartotekaError('CORRUPT_FILE', `${fileName} is not ${format}: it is not a zip container. It is damaged, or another kind of file with the wrong extension.`);
  }
  try {
    return openZip(bytes, context.limits);
  } catch (error) {
    if (error instanceof KartotekaError && error.code === 'CORRUPT_FILE') {
      throw new KartotekaError('CORRUPT_FILE', `${fileName} is damaged and cannot be read as ${format}. ${error.message}`);
    }
    throw error;
  }
}

interface Relationship {
  type: string;
  target: string;
}

/** The relationships of a part (`rels` is its .rels file), with targets resolved to zip paths. */
function readRelationships(zip: GuardedZip, rels: string, context: ExtractContext): Relationship[] {
  if (zip.entry(rels) === undefined) return [];
  const base = rels.replace(/_rels\/[^/]*$/u, '');
  const found: Relationship[] = [];
  readPart(zip, rels, {
    open(name, attributes) {
      if (name !== `${RELS}Relationship` || attributes.get('TargetMode') === 'External') return;
      const target = attributes.get('Target');
      const type = attributes.get('Type');
      if (target !== undefined && type !== undefined) found.push({ type, target: resolveTarget(base, target) });
    },
  }, context);
  return found;
}

function resolveTarget(base: string, target: string): string {
  const segments = (target.startsWith('/') ? target.slice(1) : base + target).split('/');
  const path: string[] = [];
  for (const segment of segments) {
    if (segment === '..') path.pop();
    else if (segment !== '.' && segment !== '') path.push(segment);
  }
  return decodeURIComponentSafe(path.join('/'));
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

interface Block {
  kind: 'root' | 'p' | 'tc' | 'tr' | 'tbl' | 'box';
  text: string;
  parts: string[];
}

/**
 * Paragraphs of a WordprocessingML part: a paragraph is a block; a table row is one line with
 * its cells separated by tabs; text boxes and nested paragraphs follow the paragraph holding them.
 * `unit` names the elements (w:footnote) whose paragraphs make one block each, if any.
 */
function wordParagraphs(zip: GuardedZip, part: string, context: ExtractContext, unit?: string): string[] {
  const stack: Block[] = [{ kind: 'root', text: '', parts: [] }];
  const units: string[] = [];
  let skip = 0;
  let inText = 0;
  /** For each open mc:AlternateContent: whether one of its choices is being read. */
  const alternates: boolean[] = [];

  const top = (): Block => stack[stack.length - 1] as Block;
  const give = (parts: string[]): void => {
    top().parts.push(...parts);
  };
  const closeBlock = (): void => {
    const block = stack.pop();
    if (block !== undefined) give(closedBlockText(block));
  };
  const BLOCKS: Record<string, Block['kind']> = { p: 'p', tc: 'tc', tr: 'tr', tbl: 'tbl', txbxContent: 'box' };

  readPart(zip, part, {
    open(name, attributes) {
      if (skip > 0) {
        skip += 1;
        return;
      }
      if (name.startsWith(MC)) {
        const local = name.slice(MC.length);
        if (local === 'AlternateContent') alternates.push(false);
        else if (local === 'Choice' || local === 'Fallback') {
          // The choices say the same thing for different readers (a text box as DrawingML and as VML): read one.
          if (alternates[alternates.length - 1] === true) skip = 1;
          else alternates[alternates.length - 1] = true;
        }
        return;
      }
      if (name === `${MATH}t`) {
        inText += 1;
        return;
      }
      const local = wordName(name);
      if (local === undefined) return;
      if (SKIPPED.has(local)) {
        skip = 1;
        return;
      }
      if (local === unit && stack.length === 1) {
        const type = attributes.get(`{${W_NAMESPACES[0]}}type`) ?? attributes.get(`{${W_NAMESPACES[1]}}type`);
        // Separator "notes" are the line above the footnotes, not text.
        if (type === 'separator' || type === 'continuationSeparator' || type === 'continuationNotice') skip = 1;
        return;
      }
      const kind = BLOCKS[local];
      if (kind !== undefined) {
        stack.push({ kind, text: '', parts: [] });
        return;
      }
      if (local === 't') inText += 1;
      else if (local === 'tab' || local === 'ptab') top().text += '\t';
      else if (local === 'br' || local === 'cr') top().text += '\n';
      else if (local === 'noBreakHyphen') top().text += '-';
    },
    close(name) {
      if (skip > 0) {
        skip -= 1;
        return;
      }
      if (name === `${MC}AlternateContent`) {
        alternates.pop();
        return;
      }
      if (name === `${MATH}t`) {
        inText -= 1;
        return;
      }
      const local = wordName(name);
      if (local === undefined) return;
      if (local === 't') inText -= 1;
      else if (BLOCKS[local] !== undefined && stack.length > 1) closeBlock();
      else if (local === unit && stack.length === 1) {
        const root = top();
        units.push(root.parts.map((p) => p.trim()).filter((p) => p.length > 0).join('\n'));
        root.parts = [];
      }
    },
    text(text) {
      if (skip === 0 && inText > 0) top().text += text;
    },
  }, context);

  while (stack.length > 1) closeBlock();
  const paragraphs = unit === undefined ? top().parts : units;
  return paragraphs.map((p) => tidyText(p)).filter((p) => p.length > 0);
}

function coreProperties(zip: GuardedZip, part: string | undefined, context: ExtractContext): Suggestions {
  if (part === undefined || zip.entry(part) === undefined) return {};
  const fields = new Map<string, string>();
  let current: string | undefined;
  readPart(zip, part, {
    open(name) {
      current = name;
    },
    close() {
      current = undefined;
    },
    text(text) {
      if (current !== undefined) fields.set(current, (fields.get(current) ?? '') + text);
    },
  }, context);
  const title = fields.get(`${DC}title`)?.replace(/\s+/gu, ' ').trim();
  const authors = people(fields.get(`${DC}creator`));
  const date = datePart(fields.get(`${DCTERMS}created`));
  return {
    ...(title ? { title: title.normalize('NFC') } : {}),
    ...(authors ? { authors: authors.map((a) => a.normalize('NFC')) } : {}),
    ...(date ? { date } : {}),
  };
}

const REL_TYPE = (type: string): RegExp => new RegExp(`/${type}$`, 'u');

export const docxImporter: Importer = {
  id: 'docx',
  label: 'Word documents (.docx)',
  extensions: ['.docx', '.docm'],
  // async so that every failure arrives as a rejected promise, never as a synchronous throw.
  async extract(bytes, context) {
    return extractDocx(bytes, context);
  },
};

function extractDocx(bytes: Uint8Array, context: ExtractContext): Extraction {
  const { fileName } = context;
  const zip = openContainer(bytes, context, 'a Word document (.docx)');
  const packageRels = readRelationships(zip, '_rels/.rels', context);
  const main = packageRels.find((r) => REL_TYPE('officeDocument').test(r.type))?.target ?? 'word/document.xml';
  if (zip.entry(main) === undefined) {
    const other = zip.entry('xl/workbook.xml') ? 'an Excel workbook' : zip.entry('ppt/presentation.xml') ? 'a PowerPoint presentation' : undefined;
    if (other !== undefined) {
      throw new KartotekaError('UNSUPPORTED_FORMAT', `${fileName} is ${other}, not a Word document; Kartoteka does not read it yet.`);
    }
    throw new KartotekaError(
      'CORRUPT_FILE',
      `${fileName} is a zip but holds no Word document body (${main}): it is damaged, or not a Word document.`,
    );
  }
  const body = wordParagraphs(zip, main, context);

  const mainRels = readRelationships(zip, main.replace(/([^/]*)$/u, '_rels/$1.rels'), context);
  const notes: string[] = [];
  for (const [type, unit] of [['footnotes', 'footnote'], ['endnotes', 'endnote']] as const) {
    const part = mainRels.find((r) => REL_TYPE(type).test(r.type))?.target;
    if (part !== undefined && zip.entry(part) !== undefined) notes.push(...wordParagraphs(zip, part, context, unit));
  }

  const text = [...body, ...notes].join('\n\n');
  const warnings: string[] = [];
  if (text.length === 0) {
    const pictures = zip.entries.some((e) => /^word\/media\//u.test(e.name));
    if (!pictures) throw new KartotekaError('EMPTY_FILE', `${fileName} is a Word document with no text.`);
    warnings.push('This Word document holds pictures but no text; pictures inside documents are not OCR\'d. Import the pictures themselves to read them.');
  }
  const core = packageRels.find((r) => REL_TYPE('metadata/core-properties').test(r.type))?.target ?? 'docProps/core.xml';
  return {
    text,
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    textSource: 'text',
    details: { paragraphs: body.length, notes: notes.length, unpackedBytes: zip.unpackedBytes },
    suggested: coreProperties(zip, core, context),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}
