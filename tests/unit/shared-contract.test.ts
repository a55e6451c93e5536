import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/shared/api-client.ts';
import { channelOf, contract, httpPathOf, methods } from '../../src/shared/contract.ts';
import { PartialDate, DocumentMetadata } from '../../src/shared/document.ts';
import { KartotekaError, err, ok } from '../../src/shared/errors.ts';

describe('partial dates', () => {
  it.each(['2024', '2024-03', '2024-03-15', '2024-02-29'])('accepts %s', (date) => {
    expect(PartialDate.safeParse(date).success).toBe(true);
  });
  it.each(['24', '2024-3', '2024-13', '2023-02-29', '2024-04-31', '2024-03-15T10:00', 'March 2024'])('refuses %s', (date) => {
    expect(PartialDate.safeParse(date).success).toBe(false);
  });
});

describe('document metadata', () => {
  const valid = {
    kind: 'letter',
    title: 'Письмо из колонии',
    language: 'ru',
    date: '2024-03',
    dateApproximate: true,
    authors: ['Мирон Соловьёв'],
    recipients: [],
    source: '',
    sensitivity: 'internal',
    tags: [],
    notes: '',
    translationOf: null,
  };
  it('accepts a letter with a month-precise approximate date', () => {
    expect(DocumentMetadata.parse(valid).dateApproximate).toBe(true);
  });
  it('refuses an unknown kind, sensitivity or language tag', () => {
    expect(DocumentMetadata.safeParse({ ...valid, kind: 'memo' }).success).toBe(false);
    expect(DocumentMetadata.safeParse({ ...valid, sensitivity: 'secret' }).success).toBe(false);
    expect(DocumentMetadata.safeParse({ ...valid, language: 'Russian language' }).success).toBe(false);
  });
});

describe('the contract', () => {
  it('gives every method one IPC channel and one HTTP path, all distinct', () => {
    expect(methods.length).toBe(Object.keys(contract).length);
    expect(new Set(methods.map(channelOf)).size).toBe(methods.length);
    expect(new Set(methods.map(httpPathOf)).size).toBe(methods.length);
  });

  it('builds a client whose failures carry the error code', async () => {
    const client = createApiClient(async (method) =>
      method === 'archive.info'
        ? ok({ path: '/a', name: 'a', isSample: false, documentCount: 0, schemaVersion: 1 })
        : err('NOT_FOUND', 'No document x'),
    );
    await expect(client['archive.info']({})).resolves.toMatchObject({ name: 'a' });
    const failure = await client['documents.get']({ id: '0123456789abcdef' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(KartotekaError);
    expect((failure as KartotekaError).code).toBe('NOT_FOUND');
  });
});
