import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A zip written front to back into a sink, never seeking, so it can go straight into a file or
 * through age's encryption: entries whose bytes are in memory get their sizes and checksum in
 * the local header; entries streamed from disk (a large original) get a data descriptor after
 * their data. Names are UTF-8 (flag bit 11); entries are regular files (Unix mode 0644); Zip64
 * records are written where sizes, offsets or the entry count pass the 32/16-bit fields.
 */

/** Where the bytes go; write() resolves when the sink can take more (back-pressure). */
export interface ByteSink {
  write(chunk: Uint8Array): Promise<void>;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_DESCRIPTOR = 0x08074b50;
const SIG_END = 0x06054b50;
const SIG_END64 = 0x06064b50;
const SIG_END64_LOCATOR = 0x07064b50;
const FLAG_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
const MAX32 = 0xffffffff;
const MAX16 = 0xffff;
/** Version 4.5 (Zip64), made on Unix (3): external attributes carry a Unix mode. */
const VERSION_MADE_BY = (3 << 8) | 45;
const REGULAR_FILE = (0o100644 << 16) >>> 0;
/** Coalesce small writes (headers, small files) into pieces of this size before they reach the sink. */
const BUFFER_BYTES = 1 << 20;

/**
 * Our own reader refuses entries that expand more than 100:1 (past 1 MB); an entry that would
 * deflate that well (a long run of one character) is stored instead, so our bundles always open.
 */
const SAFE_RATIO = 50;

interface CentralRecord {
  name: Uint8Array;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
}

function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.min(2107, Math.max(1980, date.getFullYear()));
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

export class ZipWriter {
  private readonly sink: ByteSink;
  private readonly stamp: { time: number; date: number };
  private readonly records: CentralRecord[] = [];
  private readonly names = new Set<string>();
  private buffer = new Uint8Array(BUFFER_BYTES);
  private buffered = 0;
  /** Bytes handed to this writer so far: the offset of the next header. */
  private offset = 0;
  private finished = false;

  /** `modified`: the time stamp every entry gets (the bagging time). */
  constructor(sink: ByteSink, modified: Date) {
    this.sink = sink;
    this.stamp = dosDateTime(modified);
  }

  get bytesWritten(): number {
    return this.offset;
  }

  /**
   * Adds a file whose bytes are in memory, deflated (level 4: nearly level 6's size in 60% of its
   * time) unless `compress` is false or it would not shrink. Deflated here and now: zlib's async
   * calls cost more in set-up than they save on files of a few kilobytes, measured.
   */
  async addFile(name: string, data: Uint8Array, compress = true): Promise<void> {
    const encoded = this.claim(name);
    let method = 0;
    let body = data;
    if (compress && data.length > 64) {
      const deflated = deflateRawSync(data, { level: 4 });
      const tooGood = data.length > 1024 * 1024 && deflated.length * SAFE_RATIO < data.length;
      if (deflated.length < data.length && !tooGood) {
        method = 8;
        body = deflated;
      }
    }
    const record: CentralRecord = { name: encoded, method, flags: FLAG_UTF8, crc: crc32(data), compressedSize: body.length, size: data.length, offset: this.offset };
    await this.put(this.localHeader(record, false));
    await this.put(body);
    this.records.push(record);
  }

  /**
   * Adds a file read piece by piece (stored, not deflated: originals are mostly compressed
   * already); `size` is what the caller expects, and a source that yields another count fails.
   */
  async addStream(name: string, size: number, pieces: AsyncIterable<Uint8Array>): Promise<{ crc: number }> {
    const encoded = this.claim(name);
    const record: CentralRecord = { name: encoded, method: 0, flags: FLAG_UTF8 | FLAG_DESCRIPTOR, crc: 0, compressedSize: size, size, offset: this.offset };
    const zip64 = size >= MAX32;
    await this.put(this.localHeader(record, zip64));
    let crc = 0;
    let seen = 0;
    for await (const piece of pieces) {
      crc = crc32(piece, crc);
      seen += piece.length;
      await this.put(piece);
    }
    if (seen !== size) throw new Error(`${name}: expected ${size} bytes, read ${seen}`);
    record.crc = crc;
    const descriptor = new Uint8Array(zip64 ? 24 : 16);
    const view = new DataView(descriptor.buffer);
    view.setUint32(0, SIG_DESCRIPTOR, true);
    view.setUint32(4, crc, true);
    if (zip64) {
      view.setBigUint64(8, BigInt(size), true);
      view.setBigUint64(16, BigInt(size), true);
    } else {
      view.setUint32(8, size, true);
      view.setUint32(12, size, true);
    }
    await this.put(descriptor);
    this.records.push(record);
    return { crc };
  }

  /** Writes the central directory and end records, and flushes. */
  async finish(): Promise<void> {
    if (this.finished) throw new Error('finish() twice');
    this.finished = true;
    const cdOffset = this.offset;
    for (const record of this.records) await this.put(this.centralHeader(record));
    const cdSize = this.offset - cdOffset;
    const count = this.records.length;
    const needs64 = count >= MAX16 || cdOffset >= MAX32 || cdSize >= MAX32;
    if (needs64) {
      const end64At = this.offset;
      const end64 = new Uint8Array(56);
      const v = new DataView(end64.buffer);
      v.setUint32(0, SIG_END64, true);
      v.setBigUint64(4, 44n, true);
      v.setUint16(12, VERSION_MADE_BY, true);
      v.setUint16(14, 45, true);
      v.setBigUint64(24, BigInt(count), true);
      v.setBigUint64(32, BigInt(count), true);
      v.setBigUint64(40, BigInt(cdSize), true);
      v.setBigUint64(48, BigInt(cdOffset), true);
      await this.put(end64);
      const locator = new Uint8Array(20);
      const l = new DataView(locator.buffer);
      l.setUint32(0, SIG_END64_LOCATOR, true);
      l.setBigUint64(8, BigInt(end64At), true);
      l.setUint32(16, 1, true);
      await this.put(locator);
    }
    const end = new Uint8Array(22);
    const e = new DataView(end.buffer);
    e.setUint32(0, SIG_END, true);
    e.setUint16(8, Math.min(count, MAX16), true);
    e.setUint16(10, Math.min(count, MAX16), true);
    e.setUint32(12, Math.min(cdSize, MAX32), true);
    e.setUint32(16, Math.min(cdOffset, MAX32), true);
    await this.put(end);
    await this.flush();
  }

  private claim(name: string): Uint8Array {
    if (this.finished) throw new Error('the zip is finished');
    if (this.names.has(name)) throw new Error(`two entries named ${name}`);
    this.names.add(name);
    return new TextEncoder().encode(name);
  }

  private localHeader(record: CentralRecord, zip64: boolean): Uint8Array {
    const descriptor = (record.flags & FLAG_DESCRIPTOR) !== 0;
    const extraLength = zip64 ? 20 : 0;
    const out = new Uint8Array(30 + record.name.length + extraLength);
    const v = new DataView(out.buffer);
    v.setUint32(0, SIG_LOCAL, true);
    v.setUint16(4, zip64 ? 45 : 20, true);
    v.setUint16(6, record.flags, true);
    v.setUint16(8, record.method, true);
    v.setUint16(10, this.stamp.time, true);
    v.setUint16(12, this.stamp.date, true);
    // With a data descriptor the checksum and sizes follow the data.
    v.setUint32(14, descriptor ? 0 : record.crc, true);
    v.setUint32(18, zip64 ? MAX32 : descriptor ? 0 : record.compressedSize, true);
    v.setUint32(22, zip64 ? MAX32 : descriptor ? 0 : record.size, true);
    v.setUint16(26, record.name.length, true);
    v.setUint16(28, extraLength, true);
    out.set(record.name, 30);
    if (zip64) {
      const at = 30 + record.name.length;
      v.setUint16(at, 0x0001, true);
      v.setUint16(at + 2, 16, true);
      v.setBigUint64(at + 4, descriptor ? 0n : BigInt(record.size), true);
      v.setBigUint64(at + 12, descriptor ? 0n : BigInt(record.compressedSize), true);
    }
    return out;
  }

  private centralHeader(record: CentralRecord): Uint8Array {
    // Zip64 extra: only the fields that overflow, in the order size, compressed size, offset.
    const wide: bigint[] = [];
    if (record.size >= MAX32) wide.push(BigInt(record.size));
    if (record.compressedSize >= MAX32) wide.push(BigInt(record.compressedSize));
    if (record.offset >= MAX32) wide.push(BigInt(record.offset));
    const extraLength = wide.length > 0 ? 4 + 8 * wide.length : 0;
    const out = new Uint8Array(46 + record.name.length + extraLength);
    const v = new DataView(out.buffer);
    v.setUint32(0, SIG_CENTRAL, true);
    v.setUint16(4, VERSION_MADE_BY, true);
    v.setUint16(6, wide.length > 0 ? 45 : 20, true);
    v.setUint16(8, record.flags, true);
    v.setUint16(10, record.method, true);
    v.setUint16(12, this.stamp.time, true);
    v.setUint16(14, this.stamp.date, true);
    v.setUint32(16, record.crc, true);
    v.setUint32(20, Math.min(record.compressedSize, MAX32), true);
    v.setUint32(24, Math.min(record.size, MAX32), true);
    v.setUint16(28, record.name.length, true);
    v.setUint16(30, extraLength, true);
    v.setUint32(38, REGULAR_FILE, true);
    v.setUint32(42, Math.min(record.offset, MAX32), true);
    out.set(record.name, 46);
    if (wide.length > 0) {
      const at = 46 + record.name.length;
      v.setUint16(at, 0x0001, true);
      v.setUint16(at + 2, 8 * wide.length, true);
      wide.forEach((value, i) => v.setBigUint64(at + 4 + 8 * i, value, true));
    }
    return out;
  }

  private async put(bytes: Uint8Array): Promise<void> {
    this.offset += bytes.length;
    if (bytes.length >= BUFFER_BYTES) {
      await this.flush();
      await this.sink.write(bytes);
      return;
    }
    if (this.buffered + bytes.length > BUFFER_BYTES) await this.flush();
    this.buffer.set(bytes, this.buffered);
    this.buffered += bytes.length;
  }

  private async flush(): Promise<void> {
    if (this.buffered === 0) return;
    const full = this.buffer.subarray(0, this.buffered);
    // The sink may hold on to the piece (a stream queue): hand it this buffer and start a new one.
    this.buffer = new Uint8Array(BUFFER_BYTES);
    this.buffered = 0;
    await this.sink.write(full);
  }
}
