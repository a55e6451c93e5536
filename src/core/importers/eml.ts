import PostalMime from 'postal-mime';
import type { Address, Email, Mailbox } from 'postal-mime';
import { PartialDate } from '../../shared/document.ts';
import { KartotekaError } from '../../shared/errors.ts';
import { decodeBytes } from '../text/encoding.ts';
import type { DecodedText } from '../text/encoding.ts';
import { htmlToText } from './html.ts';
import type { Attachment, ExtractContext, Extraction, Importer } from './types.ts';

/**
 * E-mails saved as .eml, among them letters that reach prisons and come back through prison
 * e-mail services. postal-mime does the MIME work (structure, transfer encodings, RFC 2047 words,
 * charsets); we decide what the document's text is and what becomes an attachment.
 */

/** Fields that nearly every message has at least one of; a file with none is not an e-mail. */
const knownFields = new Set([
  'from',
  'to',
  'cc',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'received',
  'return-path',
  'sender',
  'reply-to',
  'delivered-to',
]);

const fieldLine = /^([!-9;-~]+)[ \t]*:/u;

interface RawParts {
  /** The message without any mbox "From " separator line. */
  message: Uint8Array;
  /** Where the body starts in `message`, after the blank line. */
  bodyStart: number;
}

/**
 * Finds the header block and checks that it is one: it starts with a header field and has one of
 * the fields every e-mail has. Stray lines further down are left to postal-mime, as mail clients do.
 */
function splitMessage(bytes: Uint8Array, fileName: string): RawParts {
  let message = bytes;
  // A message cut out of an mbox file keeps its "From sender date" separator line.
  if (message.length > 5 && String.fromCharCode(...message.subarray(0, 5)) === 'From ') {
    const newline = message.indexOf(0x0a);
    message = newline === -1 ? new Uint8Array(0) : message.subarray(newline + 1);
  }
  let bodyStart = message.length;
  let headerEnd = message.length;
  for (let i = 0; i < message.length; i++) {
    if (message[i] !== 0x0a) continue;
    if (message[i + 1] === 0x0a) {
      headerEnd = i + 1;
      bodyStart = i + 2;
      break;
    }
    if (message[i + 1] === 0x0d && message[i + 2] === 0x0a) {
      headerEnd = i + 1;
      bodyStart = i + 3;
      break;
    }
  }
  const header = Buffer.from(message.subarray(0, headerEnd)).toString('latin1');
  const lines = header.split(/\r?\n/u);
  const fields = lines.flatMap((line) => fieldLine.exec(line)?.[1]?.toLowerCase() ?? []);
  const startsWithField = fieldLine.test(lines[0] ?? '');
  if (header.includes('\u0000') || !startsWithField || !fields.some((field) => knownFields.has(field))) {
    throw new KartotekaError(
      'CORRUPT_FILE',
      `${fileName} is not an e-mail message: it does not start with header lines such as "From:", "Subject:" or "Date:".`,
    );
  }
  return { message, bodyStart };
}

interface ContentType {
  type: string;
  params: Map<string, string>;
}

function parseContentType(value: string | undefined): ContentType {
  // RFC 2045: no Content-Type means text/plain in US-ASCII.
  if (value === undefined) return { type: 'text/plain', params: new Map() };
  const [type = '', ...rest] = value.split(';');
  const params = new Map<string, string>();
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim().replace(/^"(.*)"$/u, '$1'));
  }
  return { type: type.trim().toLowerCase(), params };
}

/**
 * The body of a single-part message after its transfer encoding (base64, quoted-printable) is
 * undone, as bytes. postal-mime returns decoded bytes only for attachments, so we hand it the
 * same body again labelled as one; that keeps one decoder for both paths.
 */
async function transferDecodedBody(parts: RawParts, transferEncoding: string | undefined): Promise<Uint8Array> {
  const encoding = transferEncoding?.trim() || '7bit';
  const head = new TextEncoder().encode(
    `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=body\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n`,
  );
  const body = parts.message.subarray(parts.bodyStart);
  const relabelled = new Uint8Array(head.length + body.length);
  relabelled.set(head);
  relabelled.set(body, head.length);
  const parsed = await PostalMime.parse(relabelled, { attachmentEncoding: 'arraybuffer' });
  return bytesOf(parsed.attachments[0]?.content ?? new ArrayBuffer(0));
}

function bytesOf(content: ArrayBuffer | Uint8Array | string): Uint8Array {
  if (typeof content === 'string') return new TextEncoder().encode(content);
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

/** RFC 3676 format=flowed: a line ending in a space continues on the next one. */
function unflow(text: string, delsp: boolean): string {
  const out: string[] = [];
  let pending: string | undefined;
  for (const rawLine of text.split('\n')) {
    let line = rawLine.startsWith(' ') ? rawLine.slice(1) : rawLine; // space-stuffing
    const soft = line.endsWith(' ') && line !== '-- ';
    if (soft && delsp) line = line.slice(0, -1);
    pending = (pending ?? '') + line;
    if (!soft) {
      out.push(pending);
      pending = undefined;
    }
  }
  if (pending !== undefined) out.push(pending);
  return out.join('\n');
}

const tidyBody = (text: string): string => text.replace(/\r\n?/gu, '\n').replace(/^(?:[ \t]*\n)+/u, '').trimEnd();

const mailboxes = (addresses: readonly Address[] | Address | undefined): Mailbox[] =>
  (addresses === undefined ? [] : Array.isArray(addresses) ? addresses : [addresses]).flatMap((a: Address) =>
    a.group === undefined ? [a] : a.group,
  );

const personOf = (m: Mailbox): string => m.name.trim() || m.address;
const formatMailbox = (m: Mailbox): string => (m.name.trim() ? `${m.name.trim()} <${m.address}>` : m.address);

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * The day the sender wrote in the Date header, in the sender's own time zone: a letter sent at
 * 01:30 Moscow time on 12 April is dated 12 April, not 11 April (UTC).
 */
function partialDate(rawDate: string | undefined, isoDate: string | undefined): string | undefined {
  const m = rawDate === undefined ? null : /(\d{1,2})\s+([a-z]{3})[a-z]*\.?\s+(\d{2,4})\b/iu.exec(rawDate);
  if (m) {
    const month = months.indexOf((m[2] ?? '').toLowerCase()) + 1;
    let year = Number(m[3]);
    // RFC 5322 4.3: two-digit years below 50 are 20xx, others 19xx; three digits add 1900.
    if ((m[3] ?? '').length === 2) year += year < 50 ? 2000 : 1900;
    else if ((m[3] ?? '').length === 3) year += 1900;
    const candidate = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${(m[1] ?? '').padStart(2, '0')}`;
    if (month > 0 && PartialDate.safeParse(candidate).success) return candidate;
  }
  if (isoDate !== undefined && /^\d{4}-\d{2}-\d{2}T/u.test(isoDate)) return isoDate.slice(0, 10);
  return undefined;
}

const extensionByType: Record<string, string> = {
  'application/pdf': '.pdf',
  'text/plain': '.txt',
  'text/html': '.html',
  'message/rfc822': '.eml',
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/gif': '.gif',
  'image/tiff': '.tif',
  'audio/mpeg': '.mp3',
  'audio/ogg': '.ogg',
  'audio/mp4': '.m4a',
  'audio/wav': '.wav',
  'application/msword': '.doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/vnd.oasis.opendocument.text': '.odt',
  'application/rtf': '.rtf',
  'application/zip': '.zip',
};

/** A name safe to show and to pick an importer by: no folders ("../../x"), no control characters. */
function safeName(name: string | null): string | undefined {
  if (name === null) return undefined;
  const last = name.split(/[\\/]/u).at(-1) ?? '';
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const clean = last.replace(/[\u0000-\u001f\u007f]/gu, '').trim();
  return clean.length > 0 && clean !== '.' && clean !== '..' ? clean : undefined;
}

interface Body {
  text: string;
  from: 'plain' | 'html' | 'none';
  decoded?: DecodedText | undefined;
  /** The HTML body's <title>, for a message without a subject. */
  htmlTitle?: string | undefined;
}

const headerValue = (email: Email, key: string): string | undefined => email.headers.find((h) => h.key === key)?.value;

async function readBody(email: Email, parts: RawParts, context: ExtractContext): Promise<{ body: Body; warnings: string[] }> {
  const warnings: string[] = [];
  const contentType = parseContentType(headerValue(email, 'content-type'));
  const disposition = (headerValue(email, 'content-disposition') ?? '').trim().toLowerCase();
  const singleText = (contentType.type === 'text/plain' || contentType.type === 'text/html') && !disposition.startsWith('attachment');
  if (singleText) {
    // One text part, as prison e-mail services send: we decode it ourselves so that a missing or
    // wrong charset is detected, the user's chosen encoding applies, and mojibake is repaired.
    const charset = contentType.params.get('charset');
    const declared = charset === undefined || /^(?:us-)?ascii$/iu.test(charset) ? undefined : charset;
    const decoded = decodeBytes(await transferDecodedBody(parts, headerValue(email, 'content-transfer-encoding')), {
      declared,
      override: context.encodingOverride,
      repairMojibake: context.repairMojibake,
    });
    let text = decoded.text.replace(/\r\n?/gu, '\n');
    if (/^flowed$/iu.test(contentType.params.get('format') ?? '')) text = unflow(text, /^yes$/iu.test(contentType.params.get('delsp') ?? ''));
    if (contentType.type === 'text/html') {
      const html = htmlToText(text, { maxNestingDepth: context.limits.maxNestingDepth });
      return { body: { text: tidyBody(html.text), from: 'html', decoded, htmlTitle: html.title }, warnings };
    }
    return { body: { text: tidyBody(text), from: 'plain', decoded }, warnings };
  }
  if (context.encodingOverride !== undefined) {
    warnings.push(
      'This e-mail has several parts, each with its own declared charset; the chosen encoding was not applied to them.',
    );
  }
  let body: Body = { text: '', from: 'none' };
  if (email.text !== undefined && email.text.trim().length > 0) {
    body = { text: tidyBody(email.text), from: 'plain' };
  } else if (email.html !== undefined && email.html.trim().length > 0) {
    const html = htmlToText(email.html, { maxNestingDepth: context.limits.maxNestingDepth });
    body = { text: tidyBody(html.text), from: 'html', htmlTitle: html.title };
  }
  // postal-mime decodes a part without a charset label as UTF-8; other bytes turn into U+FFFD.
  if (body.text.includes('\uFFFD')) {
    warnings.push('Some characters of this e-mail could not be decoded: a part has a missing or wrong charset label.');
  }
  return { body, warnings };
}

async function parseEmail(message: Uint8Array, fileName: string, maxNestingDepth: number): Promise<Email> {
  try {
    // postal-mime's own cap on MIME nesting (256) stays when our HTML limit is looser.
    return await PostalMime.parse(message, { attachmentEncoding: 'arraybuffer', maxNestingDepth: Math.min(maxNestingDepth, 256) });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (/nesting depth/iu.test(reason)) throw new KartotekaError('TOO_DEEPLY_NESTED', `${fileName}: ${reason}.`);
    throw new KartotekaError('CORRUPT_FILE', `${fileName} could not be read as an e-mail: ${reason}.`);
  }
}

export const emlImporter: Importer = {
  id: 'eml',
  label: 'E-mail messages (.eml)',
  extensions: ['.eml'],
  async extract(bytes, context) {
    const { fileName } = context;
    if (bytes.length === 0) throw new KartotekaError('EMPTY_FILE', `${fileName} is empty (0 bytes).`);
    const parts = splitMessage(bytes, fileName);
    const email = await parseEmail(parts.message, fileName, context.limits.maxNestingDepth);
    const { body, warnings } = await readBody(email, parts, context);

    const attachments: Attachment[] = [];
    let skippedInlineImages = 0;
    email.attachments.forEach((attachment, index) => {
      const content = bytesOf(attachment.content);
      const mediaType = attachment.mimeType.toLowerCase();
      let name = safeName(attachment.filename);
      if (name === undefined) {
        // Pictures the HTML body shows by Content-ID (logos, signatures) are part of how the
        // message looks, not documents of their own.
        if (attachment.related === true && mediaType.startsWith('image/')) {
          skippedInlineImages += 1;
          return;
        }
        name = `attachment-${index + 1}${extensionByType[mediaType] ?? '.bin'}`;
      }
      if (content.length === 0) {
        warnings.push(`The attachment ${name} is empty and was not imported.`);
        return;
      }
      attachments.push({ name, bytes: content, mediaType });
    });

    if (body.text.trim().length === 0 && attachments.length === 0) {
      throw new KartotekaError('EMPTY_FILE', `${fileName} is an e-mail with no text and no attachments.`);
    }

    const from = mailboxes(email.from);
    const to = mailboxes(email.to);
    const cc = mailboxes(email.cc);
    const recipients = [...new Set([...to, ...cc].map(personOf).filter((p) => p.length > 0))];
    const subject = email.subject?.replace(/\s+/gu, ' ').trim();
    const rawDate = headerValue(email, 'date');
    const isoDate = email.date !== undefined && /^\d{4}-\d{2}-\d{2}T/u.test(email.date) ? email.date : undefined;
    const author = from[0] === undefined ? undefined : personOf(from[0]);

    const details: Record<string, unknown> = {
      ...(email.messageId !== undefined ? { messageId: email.messageId } : {}),
      ...(from[0] !== undefined ? { from: formatMailbox(from[0]) } : {}),
      to: to.map(formatMailbox),
      cc: cc.map(formatMailbox),
      ...(isoDate !== undefined ? { date: isoDate } : rawDate !== undefined ? { rawDate } : {}),
      body: body.from,
      attachments: attachments.length,
      ...(skippedInlineImages > 0 ? { skippedInlineImages } : {}),
    };
    const extraction: Extraction = {
      text: body.text,
      mediaType: 'message/rfc822',
      textSource: 'text',
      encoding: body.decoded?.encoding,
      repair: body.decoded?.repair,
      attachments,
      details,
      suggested: {
        kind: 'letter',
        title: subject !== undefined && subject.length > 0 ? subject : body.htmlTitle?.trim() || undefined,
        date: partialDate(rawDate, isoDate),
        authors: author !== undefined && author.length > 0 ? [author] : undefined,
        recipients: recipients.length > 0 ? recipients : undefined,
      },
      ...(warnings.length > 0 ? { warnings } : {}),
    };
    return extraction;
  },
};
