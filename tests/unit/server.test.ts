import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import { contract } from '../../src/shared/contract.ts';
import { type RunningServer, TOKEN_HEADER, startServer } from '../../src/server/server.ts';
import { fixture, sampleSourceDir, tempDir } from '../helpers.ts';
import { readFileSync } from 'node:fs';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so tests can send the Host and Origin headers a browser would not let them forge. */
function send(server: RunningServer, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers: { host: `127.0.0.1:${server.port}`, ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const call = (server: RunningServer, method: string, payload: unknown, headers: Record<string, string> = {}) =>
  send(server, `/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: server.token, ...headers },
    body: JSON.stringify(payload),
  });

describe('the local web mode server', () => {
  let server: RunningServer;
  let session: ArchiveSession;

  beforeAll(async () => {
    const renderer = tempDir('kartoteka-renderer-');
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Kartoteka</title>');
    session = new ArchiveSession(Archive.create(join(tempDir(), 'archive')), { sampleArchiveDir: join(tempDir(), 'sample'), sampleSourceDir });
    server = await startServer({ service: createService(session), rendererDir: renderer, maxBodyBytes: 1024 * 1024 });
  });
  afterAll(async () => {
    await server.close();
    await session.close();
  });

  it('listens on 127.0.0.1 only, on a port it picked', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it('refuses every request without the token, pages included', async () => {
    expect((await send(server, '/')).status).toBe(401);
    expect((await send(server, '/index.html')).status).toBe(401);
    const api = await send(server, '/api/archive.info', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(api.status).toBe(401);
    expect(JSON.parse(api.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect((await call(server, 'archive.info', {}, { [TOKEN_HEADER]: 'guess' })).status).toBe(401);
    expect((await send(server, '/?token=guess')).status).toBe(401);
  });

  it('trades the one-time URL for a same-site cookie and serves the page with its CSP', async () => {
    const first = await send(server, `/?token=${server.token}`);
    expect(first.status).toBe(303);
    const cookie = String(first.headers['set-cookie']).split(';')[0] ?? '';
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const page = await send(server, '/', { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Kartoteka</title>');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect((await send(server, '/../../etc/passwd', { headers: { cookie } })).status).toBe(404);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin even with the token', async () => {
    const rebinding = await call(server, 'archive.info', {}, { host: `evil.example:${server.port}` });
    expect(rebinding.status).toBe(403);
    const foreign = await call(server, 'archive.info', {}, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const own = await call(server, 'archive.info', {}, { origin: `http://127.0.0.1:${server.port}` });
    expect(own.status).toBe(200);
  });

  it('serves every contract method and validates requests with its schema', async () => {
    const info = JSON.parse((await call(server, 'archive.info', {})).body) as { ok: boolean; value: unknown };
    expect(info.ok).toBe(true);
    expect(contract['archive.info'].response.safeParse(info.value).success).toBe(true);

    const bytes = readFileSync(fixture('letter-utf8.txt')).toString('base64');
    const uploaded = JSON.parse((await call(server, 'import.upload', { files: [{ name: 'letter.txt', dataBase64: bytes }], last: true })).body) as {
      ok: boolean;
      value: { jobId: string };
    };
    expect(uploaded.ok).toBe(true);
    type Status = { value: { report: { imported: { id: string }[] } | null } };
    const reportOf = async (): Promise<Status['value']['report']> => (JSON.parse((await call(server, 'import.status', uploaded.value)).body) as Status).value.report;
    await expect.poll(reportOf, { timeout: 10_000 }).not.toBeNull();
    const report = await reportOf();
    const found = JSON.parse((await call(server, 'search.query', { query: 'Соловьёв' })).body) as { value: unknown };
    expect(contract['search.query'].response.parse(found.value).hits[0]?.id).toBe(report?.imported[0]?.id);
    const notLast = JSON.parse((await call(server, 'import.upload', { files: [] })).body) as { ok: boolean; error: { code: string; message: string } };
    expect(notLast).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(notLast.error.message).toContain('last');

    const invalid = JSON.parse((await call(server, 'search.query', { query: 42 })).body) as { ok: boolean; error: { code: string; message: string } };
    expect(invalid).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(invalid.error.message).toContain('query');
    const extra = JSON.parse((await call(server, 'archive.info', { sneaky: true })).body) as { error: { code: string } };
    expect(extra.error.code).toBe('INVALID_REQUEST');
    const missing = JSON.parse((await call(server, 'documents.get', { id: '0000000000000000' })).body) as { error: { code: string } };
    expect(missing.error.code).toBe('NOT_FOUND');
    expect((await call(server, 'documents.delete', {})).status).toBe(404);
  });

  it('runs a folder import in the background, reporting progress until it is done', async () => {
    const started = JSON.parse((await call(server, 'import.start', { paths: [fixture('transcripts'), fixture('eml')] })).body) as { ok: boolean; value: { jobId: string } };
    expect(started.ok).toBe(true);
    let status: { progress: { phase: string; total: number; done: number }; report: { imported: unknown[] } | null } | undefined;
    for (let i = 0; i < 200; i++) {
      status = (JSON.parse((await call(server, 'import.status', started.value)).body) as { value: NonNullable<typeof status> }).value;
      if (status.report) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status?.progress).toMatchObject({ phase: 'finished' });
    expect(status?.progress.done).toBe(status?.progress.total);
    expect(status?.report?.imported.length).toBeGreaterThanOrEqual(5);
    const unknown = JSON.parse((await call(server, 'import.status', { jobId: 'nope' })).body) as { error: { code: string } };
    expect(unknown.error.code).toBe('NOT_FOUND');
  });

  it('refuses non-JSON bodies, GET on the API, and bodies over the limit', async () => {
    const notJson = await send(server, '/api/archive.info', { method: 'POST', headers: { 'content-type': 'application/json', [TOKEN_HEADER]: server.token }, body: '{' });
    expect(JSON.parse(notJson.body)).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
    expect((await send(server, '/api/archive.info', { headers: { [TOKEN_HEADER]: server.token } })).status).toBe(405);
    const form = await send(server, '/api/archive.info', { method: 'POST', headers: { 'content-type': 'text/plain', [TOKEN_HEADER]: server.token }, body: '{}' });
    expect(form.status).toBe(415);
    const huge = await call(server, 'import.upload', { files: [{ name: 'a.txt', dataBase64: 'A'.repeat(2 * 1024 * 1024) }], last: true });
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body)).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });
});
