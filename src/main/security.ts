import { app, net, protocol, type Session } from 'electron';
import { createReadStream } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { type OriginalFile, originalResponse, parseOriginalPath } from '../core/originals.ts';
import { CONTENT_SECURITY_POLICY } from '../shared/security.ts';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://kartoteka`;

/** Must run before the app is ready. */
export function registerSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    // stream: the audio player reads originals in ranges, to seek without loading the whole file.
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

/** Finds an original the catalogue lists for that document (core/originals.ts findOriginal). */
export type OriginalLookup = (id: string, sha256: string) => Promise<OriginalFile | undefined>;

/**
 * app://kartoteka/files/<id>/<sha256>: a document's original for the preview, as the web mode
 * serves it (type, inline name, Range requests for the audio player); 404 for anything else.
 */
export async function originalReply(request: Request, lookup: OriginalLookup): Promise<Response> {
  const url = new URL(request.url);
  const wanted = parseOriginalPath(url.pathname);
  const file = wanted ? await lookup(wanted.id, wanted.sha256) : undefined;
  if (!file || (request.method !== 'GET' && request.method !== 'HEAD')) return new Response('Not found', { status: 404 });
  const answer = originalResponse(file, request.headers.get('range'));
  const body =
    request.method === 'HEAD' || answer.range === null
      ? null
      : (Readable.toWeb(createReadStream(file.path, { start: answer.range.start, end: answer.range.end })) as ReadableStream<Uint8Array>);
  return new Response(body, { status: answer.status, headers: answer.headers });
}

/**
 * Serves the built renderer from app://kartoteka/ with the CSP; nothing outside its folder. With a
 * lookup, also the originals under /files/.
 */
export function serveRenderer(rendererDir: string, originals?: OriginalLookup): void {
  const root = normalize(rendererDir + sep);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host === 'kartoteka' && url.pathname.startsWith('/files/')) {
      return originals ? originalReply(request, originals) : new Response('Not found', { status: 404 });
    }
    const file = normalize(join(root, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)));
    if (url.host !== 'kartoteka' || !file.startsWith(root)) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

/** The renderer's own frames, and the dev server while developing. */
export function isTrustedFrame(url: string): boolean {
  const dev = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;
  return url.startsWith(`${APP_ORIGIN}/`) || (dev !== undefined && url.startsWith(dev));
}

/**
 * The only permission the app's own pages get: writing plain text to the clipboard ("Copy
 * citation"). Reading it, camera, notifications, geolocation and the rest: never.
 */
export const allowedPermission = (permission: string, origin: string | undefined): boolean =>
  permission === 'clipboard-sanitized-write' && origin !== undefined && isTrustedFrame(origin.endsWith('/') ? origin : `${origin}/`);

/** No other permission and no network, for any web content. */
export function lockDownSession(session: Session): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) =>
    callback(allowedPermission(permission, (details as { requestingUrl?: string } | undefined)?.requestingUrl ?? contents?.getURL())),
  );
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => allowedPermission(permission, requestingOrigin));
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed =
      details.url.startsWith(`${APP_ORIGIN}/`) ||
      // A CSV export is a Blob the page made itself, saved through a download.
      details.url.startsWith(`blob:${APP_ORIGIN}/`) ||
      details.url.startsWith('devtools:') ||
      isTrustedFrame(details.url);
    callback({ cancel: !allowed });
  });
}

/** Every web contents: no navigation away, no new windows, no webviews. */
export function hardenContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
