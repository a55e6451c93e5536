import { setTimeout as yieldToEventLoop } from 'node:timers/promises';
import type { BundleSelection } from '../../shared/bundles.ts';
import { KartotekaError } from '../../shared/errors.ts';
import type { Archive } from '../archive.ts';
import { caseDocuments } from '../cases.ts';
import { personDocuments } from '../people.ts';
import { indexState, nameKey, rebuildStep } from '../search/indexing.ts';
import { search } from '../search/search.ts';
import { checkCancelled } from './cancel.ts';

export interface ResolveOptions {
  /** Aborted: stops between two steps of the index's rebuild with CANCELLED. */
  signal?: AbortSignal | undefined;
  /** Called as a rebuild the selection has to finish begins and after each of its steps: documents indexed, of all. */
  onIndexing?: ((done: number, total: number) => void) | undefined;
  /** How long one step of that rebuild holds the thread (at least one document a step); 40 ms. */
  indexStepMs?: number | undefined;
}

/**
 * The documents a selection names, oldest first (as the viewer lists them), and words for bag-info.
 * A selection by search (or by a person's name, which searches every spelling) needs the whole
 * index: during a rebuild, running or paused, a search misses the documents not reached yet. So
 * the rebuild is finished first, a short step at a time with the event loop answered in between.
 */
export async function resolveSelection(
  archive: Archive,
  selection: BundleSelection,
  options: ResolveOptions = {},
): Promise<{ ids: string[]; description: string }> {
  switch (selection.type) {
    case 'all': {
      const rows = archive.sql('SELECT id FROM documents ORDER BY date IS NULL, date, n').all() as unknown as { id: string }[];
      return { ids: rows.map((r) => r.id), description: 'the whole archive' };
    }
    case 'ids': {
      const unique = [...new Set(selection.ids)];
      const found = new Set(
        (archive.sql('SELECT id FROM documents WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(unique)) as unknown as { id: string }[]).map(
          (r) => r.id,
        ),
      );
      const missing = unique.filter((id) => !found.has(id));
      if (missing.length > 0) throw new KartotekaError('NOT_FOUND', `No document ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` (and ${missing.length - 5} more)` : ''} in this archive.`);
      return { ids: ordered(archive, unique), description: `${unique.length} chosen document${unique.length === 1 ? '' : 's'}` };
    }
    case 'search':
      return { ids: ordered(archive, await searchAll(archive, selection.query, options)), description: `the search “${selection.query}”` };
    case 'person': {
      if (selection.id !== undefined) {
        const ids = personDocuments(archive, selection.id).map((d) => d.id);
        const name = (archive.sql('SELECT name FROM people WHERE id = ?').get(selection.id) as { name: string } | undefined)?.name ?? selection.id;
        return { ids: ordered(archive, ids), description: `the documents of ${name}` };
      }
      const name = selection.name ?? '';
      // The people in the archive of that name (or variant), and every document naming it in any spelling.
      const key = nameKey(name);
      const people = (archive.sql('SELECT id, name, variants FROM people').all() as unknown as { id: string; name: string; variants: string }[]).filter((p) =>
        [p.name, ...(JSON.parse(p.variants) as string[])].some((n) => nameKey(n) === key),
      );
      const ids = new Set(people.flatMap((p) => personDocuments(archive, p.id).map((d) => d.id)));
      for (const id of await searchAll(archive, `person:"${name.replaceAll('"', ' ')}"`, options)) ids.add(id);
      return { ids: ordered(archive, [...ids]), description: `the documents of ${name}` };
    }
    case 'case':
      return { ids: caseDocuments(archive, selection.title).map((d) => d.id), description: `the case ${selection.title}` };
  }
}

/** Every document a query finds (the search pages through at most 500 at a time). */
async function searchAll(archive: Archive, query: string, options: ResolveOptions): Promise<string[]> {
  await finishIndex(archive, options);
  const ids: string[] = [];
  for (let offset = 0; ; offset += 500) {
    const result = search(archive, { query, offset, limit: 500, sort: 'date-asc' });
    ids.push(...result.hits.map((h) => h.id));
    if (result.hits.length < 500 || ids.length >= result.total) return ids;
  }
}

/** Oldest first, undated last, then in the order they came into the archive. */
function ordered(archive: Archive, ids: readonly string[]): string[] {
  const rows = archive
    .sql('SELECT id FROM documents WHERE id IN (SELECT value FROM json_each(?)) ORDER BY date IS NULL, date, n')
    .all(JSON.stringify(ids)) as unknown as { id: string }[];
  return rows.map((r) => r.id);
}

/**
 * Finishes a rebuild of the search index under way (running in the background or paused), in short
 * steps, yielding to the event loop after each: the window and every other call stay answered.
 * A background rebuild stepping at the same time is harmless: each step is one transaction that
 * goes on from where the last one, whoever ran it, stopped.
 */
async function finishIndex(archive: Archive, { signal, onIndexing, indexStepMs = 40 }: ResolveOptions): Promise<void> {
  let state = indexState(archive);
  if (state.current) return;
  onIndexing?.(state.done, state.total);
  while (!state.current) {
    checkCancelled(signal, 'export');
    state = rebuildStep(archive, indexStepMs);
    onIndexing?.(state.done, state.total);
    // A timer, not setImmediate: timers due (the UI's polls, the other calls' work) run before the next step.
    await yieldToEventLoop(0);
  }
}
