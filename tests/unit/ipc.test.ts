import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createService } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import { channelOf, methods } from '../../src/shared/contract.ts';
import { sampleSourceDir, tempDir } from '../helpers.ts';

type Handler = (event: unknown, payload: unknown) => Promise<unknown> | unknown;
const handlers = new Map<string, Handler>();

// Electron is not installed here; ipc.ts needs only ipcMain.handle, which this stands in for.
vi.mock('electron', () => ({ ipcMain: { handle: (channel: string, handler: Handler) => handlers.set(channel, handler) } }));

const { registerApi } = await import('../../src/main/ipc.ts');

const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });

describe('IPC registration in main', () => {
  const session = new ArchiveSession(Archive.create(join(tempDir(), 'archive')), { sampleArchiveDir: join(tempDir(), 's'), sampleSourceDir });
  registerApi(createService(session), (url) => url.startsWith('app://kartoteka/'));

  it('registers one channel per contract method', () => {
    expect([...handlers.keys()].sort()).toEqual(methods.map(channelOf).sort());
  });

  it('answers our own window with a Result envelope', async () => {
    const handler = handlers.get(channelOf('archive.info'));
    const result = await handler?.(frame('app://kartoteka/index.html'), {});
    expect(result).toMatchObject({ ok: true, value: { documentCount: 0 } });
  });

  it('refuses calls from another origin or from a subframe', async () => {
    const handler = handlers.get(channelOf('archive.info'));
    expect(await handler?.(frame('https://evil.example/'), {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await handler?.(frame('app://kartoteka/index.html', {}), {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('validates the payload against the contract', async () => {
    const handler = handlers.get(channelOf('documents.get'));
    expect(await handler?.(frame('app://kartoteka/index.html'), { id: '../../etc' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });
});
