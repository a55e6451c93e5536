import { describe, expect, it } from 'vitest';
import { importers } from '../../src/core/importers/registry.ts';

describe('the importer registry', () => {
  it('loads every registered importer, which claims exactly the extensions it is registered for', async () => {
    for (const entry of importers) {
      const importer = await entry.load();
      expect(importer.id).toBe(entry.id);
      expect([...importer.extensions].sort()).toEqual([...entry.extensions].sort());
    }
  });

  it('gives every extension to one importer only', () => {
    const all = importers.flatMap((e) => e.extensions);
    expect(new Set(all).size).toBe(all.length);
  });
});
