import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { type Service, dispatch } from '../core/api.ts';
import { type OriginalFile, findOriginal, originalResponse, parseOriginalPath } from '../core/originals.ts';
import { err, type Result } from '../shared/errors.ts';
import { httpPathOf, methods } from '../shared/contract.ts';
import { CONTENT_SECURITY_POLICY } from '../shared/security.ts';

export interface ServerOptions {
  service: Service;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
  /** Largest request body; imports send files base64-encoded. */
  maxBodyBytes?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const TOKEN_HEADER = 'x-kartoteka-token';
const COOKIE = 'kartoteka_token';
const HOST = '127.0.0.1';

const mediaTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  // pdf.js's worker is an ES module: a module script must come with a JavaScript type.
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.pfb': 'application/octet-stream',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

const routes = new Map(methods.map((m) => [httpPathOf(m), m]));

function sameSecret(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return rest.join('=');
  }
  return undefined;
}

function sendJson(res: ServerResponse, status: number, body: Result<unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The local web mode: the built renderer and the API contract over HTTP, on 127.0.0.1 only, on
 * a random port. Every request must carry the per-run token (header or the cookie set by the
 * one-time URL), and Host and Origin must name this very server (no DNS rebinding, no other site).
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const maxBody = options.maxBodyBytes ?? 100 * 1024 * 1024;
  let port = 0;
  const allowedHosts = (): string[] => [`${HOST}:${port}`, `localhost:${port}`];

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, err('INTERNAL', error instanceof Error ? error.message : String(error)));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('cross-origin-resource-policy', 'same-origin');
    if (!allowedHosts().includes(req.headers.host ?? '')) {
      sendJson(res, 403, err('FORBIDDEN', 'Wrong Host header: this server answers only to 127.0.0.1.'));
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts().some((h) => origin === `http://${h}`)) {
      sendJson(res, 403, err('FORBIDDEN', 'Requests from other origins are refused.'));
      return;
    }
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);

    // The one-time URL printed at start: trade the token in the query for a same-site cookie.
    const queryToken = url.searchParams.get('token');
    if (req.method === 'GET' && queryToken !== null) {
      if (!sameSecret(queryToken, token)) {
        sendJson(res, 401, err('UNAUTHORIZED', 'Wrong token. Use the address printed when the server started.'));
        return;
      }
      res.writeHead(303, {
        'set-cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        location: url.pathname,
        'cache-control': 'no-store',
      });
      res.end();
      return;
    }
    const header = req.headers[TOKEN_HEADER];
    if (!sameSecret(typeof header === 'string' ? header : cookieToken(req), token)) {
      sendJson(res, 401, err('UNAUTHORIZED', 'This request carries no valid token. Open the address printed when the server started.'));
      return;
    }

    if (url.pathname.startsWith('/api/')) {
      const method = routes.get(url.pathname);
      if (!method) {
        sendJson(res, 404, err('UNKNOWN_METHOD', `There is no call at ${url.pathname}.`));
        return;
      }
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        sendJson(res, 405, err('INVALID_REQUEST', 'API calls are POST requests.'));
        return;
      }
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        sendJson(res, 415, err('INVALID_REQUEST', 'API calls send application/json.'));
        return;
      }
      const body = await readBody(req, maxBody);
      if (body === undefined) {
        sendJson(res, 413, err('PAYLOAD_TOO_LARGE', `The request is larger than ${maxBody} bytes.`));
        return;
      }
      let payload: unknown;
      try {
        payload = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch {
        sendJson(res, 400, err('INVALID_REQUEST', 'The request body is not JSON.'));
        return;
      }
      // Errors travel inside the envelope with status 200, as over IPC; the HTTP status is for the transport.
      sendJson(res, 200, await dispatch(options.service, method, payload));
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, err('INVALID_REQUEST', 'Only GET here.'));
      return;
    }
    if (url.pathname.startsWith('/files/')) {
      await serveOriginal(url.pathname, req, res);
      return;
    }
    await serveStatic(url.pathname, res);
  }

  /**
   * An original, for the preview: PDF pages, images, the audio player (which seeks with Range
   * requests). Only a blob the catalogue lists among that document's files; a few seconds' memory
   * of the lookup spares the catalogue the many small requests of a seeking player.
   */
  const recent = new Map<string, { file: OriginalFile; at: number }>();
  async function serveOriginal(pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const wanted = parseOriginalPath(pathname);
    const key = wanted ? `${wanted.id}/${wanted.sha256}` : '';
    let file = recent.get(key)?.file;
    if (wanted && (!file || Date.now() - (recent.get(key)?.at ?? 0) > 10_000)) {
      file = await findOriginal(options.service, wanted.id, wanted.sha256);
      if (file) {
        if (recent.size > 50) recent.clear();
        recent.set(key, { file, at: Date.now() });
      } else recent.delete(key);
    }
    if (!file) {
      sendJson(res, 404, err('NOT_FOUND', 'No such original of this document.'));
      return;
    }
    const answer = originalResponse(file, req.headers.range);
    res.writeHead(answer.status, answer.headers);
    if (req.method === 'HEAD' || answer.range === null) {
      res.end();
      return;
    }
    const stream = createReadStream(file.path, { start: answer.range.start, end: answer.range.end });
    await new Promise<void>((resolve) => {
      stream.on('error', () => {
        res.destroy();
        resolve();
      });
      res.on('close', () => {
        stream.destroy();
        resolve();
      });
      stream.pipe(res);
    });
  }

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    const root = normalize(options.rendererDir + sep);
    let relative: string;
    try {
      relative = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
    } catch {
      sendJson(res, 400, err('INVALID_REQUEST', 'Malformed path.'));
      return;
    }
    const file = normalize(join(root, relative));
    if (!file.startsWith(root)) {
      sendJson(res, 404, err('NOT_FOUND', 'Not found.'));
      return;
    }
    const found = await stat(file).catch(() => undefined);
    if (!found?.isFile()) {
      if (pathname === '/') {
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('The user interface is not built yet: run `npm run build`, then reload.');
        return;
      }
      sendJson(res, 404, err('NOT_FOUND', 'Not found.'));
      return;
    }
    res.writeHead(200, {
      'content-type': mediaTypes[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'cache-control': 'no-cache',
    });
    res.end(await readFile(file));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${HOST}:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
