import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createService, type Service } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { importBuffers } from '../../src/core/import.ts';
import { contentDisposition, findOriginal, originalResponse, parseOriginalPath, parseRange, servedType } from '../../src/core/originals.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import { type RunningServer, TOKEN_HEADER, startServer } from '../../src/server/server.ts';
import { fixture, sampleSourceDir, tempDir } from '../helpers.ts';

// Electron is not installed here; security.ts needs it only for what these tests do not call.
vi.mock('electron', () => ({ app: { isPackaged: true, on: vi.fn() }, protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() }, net: { fetch: vi.fn() } }));
const { originalReply, allowedPermission } = await import('../../src/main/security.ts');

describe('which bytes of an original a request gets', () => {
  it('reads one byte range of a Range header, as RFC 9110 says', () => {
    expect(parseRange(undefined, 100)).toBeNull();
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
    // Malformed, several ranges, another unit, backwards: the whole file instead.
    for (const header of ['bytes=5-1', 'bytes=0-1,5-9', 'items=0-1', 'bytes=x-y', 'bytes=-']) expect(parseRange(header, 100), header).toBeNull();
  });

  it('names the file inline, in ASCII and exactly, and shows only types that cannot run script', () => {
    expect(contentDisposition('приговор "ИК-7".pdf', true)).toBe(
      `inline; filename="________ ___-7_.pdf"; filename*=UTF-8''%D0%BF%D1%80%D0%B8%D0%B3%D0%BE%D0%B2%D0%BE%D1%80%20%22%D0%98%D0%9A-7%22.pdf`,
    );
    expect(servedType('application/pdf')).toEqual({ contentType: 'application/pdf', inline: true });
    expect(servedType('audio/mpeg')).toEqual({ contentType: 'audio/mpeg', inline: true });
    expect(servedType('image/png')).toEqual({ contentType: 'image/png', inline: true });
    for (const risky of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/xml', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document']) {
      expect(servedType(risky), risky).toEqual({ contentType: 'application/octet-stream', inline: false });
    }
  });

  it('answers 200, 206 or 416 with the headers a player needs', () => {
    const file = { path: '/x', fileName: 'call.wav', mediaType: 'audio/wav', size: 1000, sha256: 'a'.repeat(64) };
    expect(originalResponse(file, null)).toMatchObject({ status: 200, range: { start: 0, end: 999 }, headers: { 'content-length': '1000', 'accept-ranges': 'bytes', 'cache-control': 'no-store' } });
    expect(originalResponse(file, 'bytes=100-199')).toMatchObject({ status: 206, range: { start: 100, end: 199 }, headers: { 'content-range': 'bytes 100-199/1000', 'content-length': '100' } });
    expect(originalResponse(file, 'bytes=5000-')).toMatchObject({ status: 416, range: null, headers: { 'content-range': 'bytes */1000' } });
    expect(originalResponse(file, null).headers['content-security-policy']).toContain('sandbox');
  });

  it('takes only /files/<document id>/<sha256> as the path of an original', () => {
    expect(parseOriginalPath(`/files/01m84vagrbprd4jn/${'0'.repeat(64)}`)).toEqual({ id: '01m84vagrbprd4jn', sha256: '0'.repeat(64) });
    for (const path of ['/files/../../etc/passwd', `/files/01m84vagrbprd4jn/${'0'.repeat(63)}`, `/files/01M84/${'0'.repeat(64)}`, `/files/01m84vagrbprd4jn/${'0'.repeat(64)}/x`]) {
      expect(parseOriginalPath(path), path).toBeNull();
    }
  });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(server: RunningServer, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('originals served to the renderer', () => {
  let session: ArchiveSession;
  let service: Service;
  let server: RunningServer;
  let audio: { id: string; sha256: string };
  let letter: { id: string; sha256: string };
  const wav = readFileSync(fixture('audio/2025-04-12-call-anna.wav'));

  beforeAll(async () => {
    const renderer = tempDir('kartoteka-renderer-');
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Kartoteka</title>');
    session = new ArchiveSession(Archive.create(join(tempDir(), 'archive')), { sampleArchiveDir: join(tempDir(), 'sample'), sampleSourceDir });
    service = createService(session);
    const report = await importBuffers(session.archive, [
      { name: 'call-anna.wav', bytes: wav },
      { name: 'letter.txt', bytes: readFileSync(fixture('letter-utf8.txt')) },
    ]);
    const byFile = (name: string) => report.imported.find((i) => i.file === name) ?? { id: '', sha256: '' };
    audio = byFile('call-anna.wav');
    letter = byFile('letter.txt');
    server = await startServer({ service, rendererDir: renderer });
  });
  afterAll(async () => {
    await server.close();
    await session.close();
  });

  it('finds an original only among its own document’s files', async () => {
    await expect(findOriginal(service, audio.id, audio.sha256)).resolves.toMatchObject({ fileName: 'call-anna.wav', mediaType: 'audio/wav', size: wav.length });
    await expect(findOriginal(service, letter.id, audio.sha256)).resolves.toBeUndefined();
    await expect(findOriginal(service, 'zzzzzzzzzzzz', audio.sha256)).resolves.toBeUndefined();
    await expect(findOriginal(service, '../etc', audio.sha256)).resolves.toBeUndefined();
  });

  it('web mode: with the token only; whole, or in ranges a player seeks with', async () => {
    const path = `/files/${audio.id}/${audio.sha256}`;
    expect((await get(server, path)).status).toBe(401);
    const auth = { [TOKEN_HEADER]: server.token };
    const whole = await get(server, path, auth);
    expect(whole.status).toBe(200);
    expect(whole.headers['content-type']).toBe('audio/wav');
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.headers['content-disposition']).toBe(`inline; filename="call-anna.wav"; filename*=UTF-8''call-anna.wav`);
    expect(whole.body.equals(wav)).toBe(true);
    const part = await get(server, path, { ...auth, range: 'bytes=8-15' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 8-15/${wav.length}`);
    expect(part.body.toString('latin1')).toBe('WAVEfmt ');
    expect((await get(server, path, { ...auth, range: `bytes=${wav.length}-` })).status).toBe(416);
    // Another document's blob, or no such document: not found, whatever the hash.
    expect((await get(server, `/files/${letter.id}/${audio.sha256}`, auth)).status).toBe(404);
    expect((await get(server, `/files/${audio.id}/${'0'.repeat(64)}`, auth)).status).toBe(404);
    expect((await get(server, '/files/../catalogue.sqlite', auth)).status).toBe(404);
  });

  it('desktop: app://kartoteka/files/… answers the same way', async () => {
    const lookup = (id: string, sha: string) => findOriginal(service, id, sha);
    const url = `app://kartoteka/files/${audio.id}/${audio.sha256}`;
    const part = await originalReply(new Request(url, { headers: { range: 'bytes=0-3' } }), lookup);
    expect(part.status).toBe(206);
    expect(part.headers.get('content-type')).toBe('audio/wav');
    expect(await part.text()).toBe('RIFF');
    const whole = await originalReply(new Request(url), lookup);
    expect(Buffer.from(await whole.arrayBuffer()).equals(wav)).toBe(true);
    expect((await originalReply(new Request(`app://kartoteka/files/${letter.id}/${audio.sha256}`), lookup)).status).toBe(404);
    expect((await originalReply(new Request(url, { method: 'POST', body: 'x' }), lookup)).status).toBe(404);
  });

  it('desktop: the app may write a citation to the clipboard, and nothing else', () => {
    expect(allowedPermission('clipboard-sanitized-write', 'app://kartoteka')).toBe(true);
    expect(allowedPermission('clipboard-sanitized-write', 'https://evil.example')).toBe(false);
    expect(allowedPermission('clipboard-read', 'app://kartoteka')).toBe(false);
    expect(allowedPermission('media', 'app://kartoteka')).toBe(false);
  });
});
