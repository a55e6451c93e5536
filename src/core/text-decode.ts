import { KartotekaError } from '../shared/errors.ts';

export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
  bom: boolean;
}

/**
 * UTF-8 (with or without BOM) and UTF-16 with a BOM. Other encodings are refused with a clear
 * code rather than guessed; guessing belongs to the ingestion pipeline.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  const b0 = bytes[0];
  const b1 = bytes[1];
  let decoded: DecodedText;
  if (b0 === 0xff && b1 === 0xfe) {
    decoded = { text: decodeStrict('utf-16le', bytes.subarray(2)), encoding: 'utf-16le', bom: true };
  } else if (b0 === 0xfe && b1 === 0xff) {
    decoded = { text: decodeStrict('utf-16be', bytes.subarray(2)), encoding: 'utf-16be', bom: true };
  } else {
    const bom = b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf;
    decoded = { text: decodeStrict('utf-8', bom ? bytes.subarray(3) : bytes), encoding: 'utf-8', bom };
  }
  if (decoded.text.includes('\u0000')) {
    throw new KartotekaError('UNSUPPORTED_ENCODING', 'The file holds NUL characters: it is binary, or UTF-16 without a byte-order mark.');
  }
  return { ...decoded, text: decoded.text.replace(/\r\n?/g, '\n').normalize('NFC') };
}

function decodeStrict(encoding: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new KartotekaError(
      'UNSUPPORTED_ENCODING',
      encoding === 'utf-8'
        ? 'The file is not valid UTF-8 and has no UTF-16 byte-order mark; other encodings (Windows-1251, KOI8-R, ...) are not read yet.'
        : `The file starts with a ${encoding.toUpperCase()} byte-order mark but its bytes are not valid ${encoding.toUpperCase()}.`,
    );
  }
}
