import { KartotekaError } from '../../shared/errors.ts';
import { closedBlockText } from './blocks.ts';
import { datePart, openContainer, people, readPart } from './docx.ts';
import { tidyText } from './html.ts';
import type { ExtractContext, Extraction, Importer, Suggestions } from './types.ts';
import { decodeXml, looksLikeZip, readXml } from './zip-guard.ts';
import type { GuardedZip, XmlHandler } from './zip-guard.ts';

/**
 * OpenDocument text (.odt, LibreOffice's format) and its single-file flat variant (.fodt):
 * content.xml's paragraphs, headings, lists and tables, then the footnotes; title, author and
 * date from meta.xml.
 */

const OFFICE = '{urn:oasis:names:tc:opendocument:xmlns:office:1.0}';
const TEXT = '{urn:oasis:names:tc:opendocument:xmlns:text:1.0}';
const TABLE = '{urn:oasis:names:tc:opendocument:xmlns:table:1.0}';
const DRAW = '{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}';
const META = '{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}';
const MANIFEST = '{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}';
const DC = '{http://purl.org/dc/elements/1.1/}';
const SVG = '{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}';

const TEXT_MEDIA_TYPES = new Set([
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.text-template',
  'application/vnd.oasis.opendocument.text-master',
]);

/**
 * Inside the body, what is not the document's visible text: deleted changes, comments, note
 * numbers, index templates, pictures' titles and (in .fodt) their base64 data.
 */
const SKIPPED = new Set([
  `${OFFICE}binary-data`,
  `${SVG}title`,
  `${SVG}desc`,
  `${TEXT}tracked-changes`,
  `${OFFICE}annotation`,
  `${OFFICE}annotation-end`,
  `${TEXT}note-citation`,
  `${TEXT}table-of-content-source`,
  `${TEXT}alphabetical-index-source`,
  `${TEXT}illustration-index-source`,
  `${TEXT}sequence-decls`,
  `${TEXT}variable-decls`,
  `${TEXT}user-field-decls`,
  `${OFFICE}forms`,
  `${TABLE}table-columns`,
  `${TABLE}table-column`,
]);

type BlockKind = 'root' | 'p' | 'tc' | 'tr' | 'tbl' | 'box' | 'note';
const BLOCKS = new Map<string, BlockKind>([
  [`${TEXT}p`, 'p'],
  [`${TEXT}h`, 'p'],
  [`${TABLE}table-cell`, 'tc'],
  [`${TABLE}covered-table-cell`, 'tc'],
  [`${TABLE}table-row`, 'tr'],
  [`${TABLE}table`, 'tbl'],
  [`${DRAW}text-box`, 'box'],
  [`${TEXT}note-body`, 'note'],
]);

interface Block {
  kind: BlockKind;
  text: string;
  parts: string[];
}

interface OdfText {
  paragraphs: string[];
  notes: string[];
  meta: Map<string, string>;
}

/** One handler for content.xml, meta.xml, or a flat .fodt holding both. */
function odfReader(): { handler: XmlHandler; result: () => OdfText } {
  const stack: Block[] = [{ kind: 'root', text: '', parts: [] }];
  const notes: string[] = [];
  const meta = new Map<string, string>();
  let body = 0;
  let metaDepth = 0;
  let metaField: string | undefined;
  let skip = 0;

  const top = (): Block => stack[stack.length - 1] as Block;
  const closeBlock = (): void => {
    const block = stack.pop();
    if (block === undefined) return;
    const give = (parts: string[]): void => {
      top().parts.push(...parts);
    };
    switch (block.kind) {
      case 'note':
        notes.push(block.parts.map((p) => p.trim()).filter((p) => p.length > 0).join('\n'));
        break;
      default:
        give(closedBlockText(block));
    }
  };

  const handler: XmlHandler = {
    open(name, attributes) {
      if (name === `${OFFICE}meta`) metaDepth += 1;
      else if (metaDepth > 0) metaField = name;
      if (name === `${OFFICE}body`) body += 1;
      if (body === 0) return;
      if (skip > 0 || SKIPPED.has(name)) {
        skip += 1;
        return;
      }
      const kind = BLOCKS.get(name);
      if (kind !== undefined) stack.push({ kind, text: '', parts: [] });
      else if (name === `${TEXT}s`) {
        // text:c counts spaces; whitespace is tidied to one space anyway, so a huge count costs nothing.
        top().text += Number(attributes.get(`${TEXT}c`) ?? '1') > 1 ? '  ' : ' ';
      } else if (name === `${TEXT}tab`) top().text += '\t';
      else if (name === `${TEXT}line-break`) top().text += '\n';
    },
    close(name) {
      if (name === `${OFFICE}meta`) metaDepth -= 1;
      metaField = undefined;
      if (body === 0) return;
      if (name === `${OFFICE}body`) body -= 1;
      if (skip > 0) {
        skip -= 1;
        return;
      }
      if (BLOCKS.has(name) && stack.length > 1) closeBlock();
    },
    text(text) {
      if (metaField !== undefined) meta.set(metaField, (meta.get(metaField) ?? '') + text);
      // ODF collapses whitespace in paragraphs; real spaces, tabs and breaks are elements.
      if (body > 0 && skip === 0 && stack.length > 1) top().text += text.replace(/[ \t\r\n]+/gu, ' ');
    },
  };
  return {
    handler,
    result() {
      while (stack.length > 1) closeBlock();
      const clean = (list: string[]): string[] => list.map((p) => tidyText(p)).filter((p) => p.length > 0);
      return { paragraphs: clean(top().parts), notes: clean(notes), meta };
    },
  };
}

function suggestionsFrom(meta: ReadonlyMap<string, string>): Suggestions {
  const title = meta.get(`${DC}title`)?.replace(/\s+/gu, ' ').trim().normalize('NFC');
  // dc:creator is whoever saved last; meta:initial-creator wrote the document.
  const authors = people(meta.get(`${META}initial-creator`)) ?? people(meta.get(`${DC}creator`));
  const date = datePart(meta.get(`${META}creation-date`)) ?? datePart(meta.get(`${DC}date`));
  return {
    ...(title ? { title } : {}),
    ...(authors ? { authors: authors.map((a) => a.normalize('NFC')) } : {}),
    ...(date ? { date } : {}),
  };
}

function checkManifest(zip: GuardedZip, context: ExtractContext): void {
  const manifest = 'META-INF/manifest.xml';
  if (zip.entry(manifest) === undefined) return;
  let entry: string | undefined;
  let encrypted = false;
  readPart(zip, manifest, {
    open(name, attributes) {
      if (name === `${MANIFEST}file-entry`) entry = attributes.get(`${MANIFEST}full-path`);
      else if (name === `${MANIFEST}encryption-data` && entry === 'content.xml') encrypted = true;
    },
  }, context);
  if (encrypted) {
    throw new KartotekaError(
      'ENCRYPTED_FILE',
      `${context.fileName} is password-protected. Open it in LibreOffice, save a copy without the password (File > Save As, untick "Save with password") and import that.`,
    );
  }
}

function extractOdt(bytes: Uint8Array, context: ExtractContext): Extraction {
  const { fileName } = context;
  const reader = odfReader();
  let pictures = false;
  let mediaType = 'application/vnd.oasis.opendocument.text';
  if (bytes.length > 0 && !looksLikeZip(bytes) && /^(?:\uFEFF)?\s*<(?:\?xml|office:document)/u.test(new TextDecoder().decode(bytes.subarray(0, 64)))) {
    // Flat OpenDocument: content and metadata in one XML file.
    let root: string | undefined;
    const { handler } = reader;
    readXml(decodeXml(bytes), {
      ...handler,
      open(name, attributes) {
        root ??= name;
        handler.open?.(name, attributes);
      },
    }, { maxDepth: context.limits.maxNestingDepth, part: fileName });
    if (root !== `${OFFICE}document`) {
      throw new KartotekaError('CORRUPT_FILE', `${fileName} is an XML file but not a flat OpenDocument text: it is another kind of file with the wrong extension.`);
    }
    mediaType = 'application/vnd.oasis.opendocument.text-flat-xml';
  } else {
    const zip = openContainer(bytes, context, 'an OpenDocument text (.odt)');
    if (zip.entry('mimetype') !== undefined) {
      const declared = new TextDecoder().decode(zip.read('mimetype')).trim();
      if (!TEXT_MEDIA_TYPES.has(declared) && declared.startsWith('application/vnd.oasis.opendocument.')) {
        const kind = declared.slice('application/vnd.oasis.opendocument.'.length);
        throw new KartotekaError('UNSUPPORTED_FORMAT', `${fileName} is an OpenDocument ${kind}, not a text document; Kartoteka does not read it yet.`);
      }
    }
    checkManifest(zip, context);
    if (zip.entry('content.xml') === undefined) {
      throw new KartotekaError('CORRUPT_FILE', `${fileName} is a zip but holds no OpenDocument content (content.xml): it is damaged, or not an .odt.`);
    }
    if (zip.entry('meta.xml') !== undefined) readPart(zip, 'meta.xml', reader.handler, context);
    readPart(zip, 'content.xml', reader.handler, context);
    pictures = zip.entries.some((e) => /^Pictures\//u.test(e.name));
  }
  const { paragraphs, notes, meta } = reader.result();
  const text = [...paragraphs, ...notes].join('\n\n');
  const warnings: string[] = [];
  if (text.length === 0) {
    if (!pictures) throw new KartotekaError('EMPTY_FILE', `${fileName} is an OpenDocument text with no text.`);
    warnings.push('This document holds pictures but no text; pictures inside documents are not OCR\'d. Import the pictures themselves to read them.');
  }
  const language = meta.get(`${DC}language`)?.trim();
  return {
    text,
    mediaType,
    textSource: 'text',
    details: { paragraphs: paragraphs.length, notes: notes.length, ...(language ? { declaredLanguage: language } : {}) },
    suggested: suggestionsFrom(meta),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

export const odtImporter: Importer = {
  id: 'odt',
  label: 'OpenDocument text (.odt)',
  extensions: ['.odt', '.ott', '.fodt'],
  // async so that every failure arrives as a rejected promise, never as a synchronous throw.
  async extract(bytes, context) {
    return extractOdt(bytes, context);
  },
};
