import type { DocumentSummary } from '../shared/document.ts';
import {
  type DocumentPerson,
  type DocumentPersonRole,
  type Person,
  type PersonDetails,
  type PersonDocument,
  PersonInput,
  type PersonRole,
} from '../shared/entities.ts';
import { KartotekaError } from '../shared/errors.ts';
import { compareNames } from '../shared/names.ts';
import type { Archive } from './archive.ts';
import { newDocumentId } from './clock.ts';
import { SUMMARY_COLUMNS, type SummaryRow, summaryOf } from './documents.ts';
import { prefixKeys } from './search/analyzer.ts';
import { nameKey, peopleChanged, reindexDocument } from './search/indexing.ts';

interface PersonRow {
  id: string;
  name: string;
  variants: string;
  roles: string;
  notes: string;
  created_at: string;
  updated_at: string;
}

const personOf = (row: PersonRow): Person => ({
  id: row.id,
  name: row.name,
  variants: JSON.parse(row.variants) as string[],
  roles: JSON.parse(row.roles) as PersonRole[],
  notes: row.notes,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

function personRow(archive: Archive, id: string): PersonRow {
  const row = archive.sql('SELECT * FROM people WHERE id = ?').get(id) as PersonRow | undefined;
  if (!row) throw new KartotekaError('NOT_FOUND', `No person ${id} in this archive.`);
  return row;
}

export function getPersonRecord(archive: Archive, id: string): Person {
  return personOf(personRow(archive, id));
}

const registered = new WeakSet<Archive>();

/** The SQL function that reduces a name to its key, as the index's people directory does. */
function withNameKey(archive: Archive): void {
  if (registered.has(archive)) return;
  archive.db.function('kartoteka_name_key', { deterministic: true }, (value) => (typeof value === 'string' ? nameKey(value) : null));
  registered.add(archive);
}

/** The keys of a person's name and variants. */
const keysOf = (person: { name: string; variants: readonly string[] }): string[] =>
  [...new Set([person.name, ...person.variants].map(nameKey))].filter((k) => k !== '');

/**
 * Documents whose authors or recipients equal one of the names (by key), with which list names it.
 * Reads every document's authors and recipients: people change far less often than they are read.
 */
function documentsNaming(archive: Archive, keys: readonly string[]): Map<string, { n: number; namedAs: Set<'author' | 'recipient'> }> {
  const found = new Map<string, { n: number; namedAs: Set<'author' | 'recipient'> }>();
  if (keys.length === 0) return found;
  withNameKey(archive);
  const rows = archive
    .sql(
      `SELECT d.n, d.id, 'author' AS list FROM documents d, json_each(d.authors) a
         WHERE d.authors <> '[]' AND kartoteka_name_key(a.value) IN (SELECT value FROM json_each(?))
       UNION ALL
       SELECT d.n, d.id, 'recipient' AS list FROM documents d, json_each(d.recipients) r
         WHERE d.recipients <> '[]' AND kartoteka_name_key(r.value) IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(keys), JSON.stringify(keys)) as unknown as { n: number; id: string; list: 'author' | 'recipient' }[];
  for (const row of rows) {
    const entry = found.get(row.id) ?? { n: row.n, namedAs: new Set() };
    entry.namedAs.add(row.list);
    found.set(row.id, entry);
  }
  return found;
}

/** Documents linked to a person, with the roles of the links. */
function linkedDocuments(archive: Archive, personId: string): Map<string, { n: number; roles: DocumentPersonRole[] }> {
  const rows = archive
    .sql('SELECT d.n, dp.document_id AS id, dp.role FROM document_people dp JOIN documents d ON d.id = dp.document_id WHERE dp.person_id = ? ORDER BY dp.role')
    .all(personId) as unknown as { n: number; id: string; role: DocumentPersonRole }[];
  const found = new Map<string, { n: number; roles: DocumentPersonRole[] }>();
  for (const row of rows) {
    const entry = found.get(row.id) ?? { n: row.n, roles: [] };
    entry.roles.push(row.role);
    found.set(row.id, entry);
  }
  return found;
}

/**
 * Runs a change to people in one transaction. The index's people directory is told before the
 * documents are re-indexed (fn calls peopleChanged itself) and again afterwards, so that a rollback
 * does not leave it holding what was rolled back.
 */
function changePeople<T>(archive: Archive, fn: () => T): T {
  try {
    return archive.transaction(fn);
  } finally {
    peopleChanged(archive);
  }
}

function reindexAll(archive: Archive, ns: Iterable<number>): void {
  for (const n of new Set(ns)) reindexDocument(archive, n);
}

/** Variants without repeats and without the name itself. */
function tidyVariants(name: string, variants: readonly string[]): string[] {
  const seen = new Set([nameKey(name)]);
  const out: string[] = [];
  for (const variant of variants) {
    const key = nameKey(variant);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(variant.trim());
  }
  return out;
}

/**
 * Creates a person (id null or absent) or changes one. When the name or the variants change, every
 * document that names the person before or after the change is re-indexed, so search finds it by
 * the new spellings and no longer by the removed ones.
 */
export function savePerson(archive: Archive, id: string | null | undefined, input: PersonInput): Person {
  const parsed = PersonInput.parse(input);
  const variants = tidyVariants(parsed.name, parsed.variants);
  const roles = [...new Set(parsed.roles)];
  const personId = id ?? newDocumentId(archive.clock());
  changePeople(archive, () => {
    const now = archive.now();
    if (id === null || id === undefined) {
      archive
        .sql('INSERT INTO people (id, name, variants, roles, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(personId, parsed.name, JSON.stringify(variants), JSON.stringify(roles), parsed.notes, now, now);
      peopleChanged(archive);
      reindexAll(archive, [...documentsNaming(archive, keysOf({ name: parsed.name, variants })).values()].map((d) => d.n));
      archive.audit('person.create', personId, { name: parsed.name, variants, roles });
      return;
    }
    const before = personOf(personRow(archive, id));
    const after = { name: parsed.name, variants, roles, notes: parsed.notes };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of ['name', 'variants', 'roles', 'notes'] as const) {
      if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = { from: before[key], to: after[key] };
    }
    if (Object.keys(changes).length === 0) return;
    archive
      .sql('UPDATE people SET name = ?, variants = ?, roles = ?, notes = ?, updated_at = ? WHERE id = ?')
      .run(after.name, JSON.stringify(after.variants), JSON.stringify(after.roles), after.notes, now, id);
    if ('name' in changes || 'variants' in changes) {
      peopleChanged(archive);
      const keys = [...new Set([...keysOf(before), ...keysOf(after)])];
      reindexAll(archive, [
        ...[...documentsNaming(archive, keys).values()].map((d) => d.n),
        ...[...linkedDocuments(archive, id).values()].map((d) => d.n),
      ]);
    }
    // Notes may hold what must not be copied around; the audit log says that they changed, not to what.
    if (changes['notes']) changes['notes'] = { from: '(notes)', to: '(changed)' };
    archive.audit('person.update', id, changes);
  });
  return getPersonRecord(archive, personId);
}

/**
 * Deletes a person and their links to documents. Their events that belong to a case stay with
 * the case (without the person); events of the person alone go with them.
 */
export function deletePerson(archive: Archive, id: string): { deleted: boolean } {
  return changePeople(archive, () => {
    const row = archive.sql('SELECT * FROM people WHERE id = ?').get(id) as PersonRow | undefined;
    if (!row) return { deleted: false };
    const person = personOf(row);
    const affected = [
      ...[...documentsNaming(archive, keysOf(person)).values()].map((d) => d.n),
      ...[...linkedDocuments(archive, id).values()].map((d) => d.n),
    ];
    const kept = archive.sql('UPDATE case_events SET person_id = NULL WHERE person_id = ? AND case_id IS NOT NULL').run(id).changes;
    const links = archive.sql('DELETE FROM document_people WHERE person_id = ?').run(id).changes;
    const events = archive.sql('DELETE FROM case_events WHERE person_id = ?').run(id).changes;
    archive.sql('DELETE FROM people WHERE id = ?').run(id);
    peopleChanged(archive);
    reindexAll(archive, affected);
    archive.audit('person.delete', id, { name: person.name, links: Number(links), eventsDeleted: Number(events), caseEventsKept: Number(kept) });
    return { deleted: true };
  });
}

export interface ListPeopleOptions {
  /** The start of any word of the name or of a variant, in any script ("Каг", "Kagar", "Борис Каг"). */
  prefix?: string | undefined;
  offset?: number | undefined;
  limit?: number | undefined;
}

/** Whether each query word starts some word of the name, as written or transliterated. */
function matchesPrefix(queryWords: readonly { folded: string; keys: string[] }[], name: string): boolean {
  const nameWords = nameKey(name)
    .split(' ')
    .filter((w) => w !== '')
    .map((w) => ({ folded: w, keys: prefixKeys(w).keys }));
  return queryWords.every((q) =>
    nameWords.some((w) => w.folded.startsWith(q.folded) || q.keys.some((k) => w.keys.some((wk) => wk.startsWith(k)))),
  );
}

/** People by name, optionally only those whose name or a variant starts so. */
export function listPeople(archive: Archive, options: ListPeopleOptions = {}): { total: number; items: Person[] } {
  const { prefix = '', offset = 0, limit = 200 } = options;
  const queryWords = nameKey(prefix)
    .split(' ')
    .filter((w) => w !== '')
    .map((w) => ({ folded: w, keys: prefixKeys(w).keys }));
  const rows = archive.sql('SELECT * FROM people').all() as unknown as PersonRow[];
  const people = rows
    .map(personOf)
    .filter((p) => queryWords.length === 0 || [p.name, ...p.variants].some((name) => matchesPrefix(queryWords, name)))
    .sort((a, b) => compareNames(a.name, b.name) || a.id.localeCompare(b.id));
  return { total: people.length, items: people.slice(offset, offset + limit) };
}

const summariesOf = (archive: Archive, ids: readonly string[]): Map<string, DocumentSummary> => {
  const rows = archive
    .sql(`SELECT ${SUMMARY_COLUMNS} FROM documents d WHERE d.id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(ids)) as unknown as SummaryRow[];
  return new Map(rows.map((row) => [row.id, summaryOf(row)]));
};

/** Oldest first; undated documents last. */
export const byDate = (a: DocumentSummary, b: DocumentSummary): number =>
  a.date === b.date ? 0 : a.date === null ? 1 : b.date === null ? -1 : a.date < b.date ? -1 : 1;

/** The documents a person is linked to or named in (as an author or recipient), oldest first. */
export function personDocuments(archive: Archive, id: string): PersonDocument[] {
  const person = getPersonRecord(archive, id);
  const linked = linkedDocuments(archive, id);
  const named = documentsNaming(archive, keysOf(person));
  const ids = [...new Set([...linked.keys(), ...named.keys()])];
  const summaries = summariesOf(archive, ids);
  return ids
    .flatMap((docId) => {
      const summary = summaries.get(docId);
      if (!summary) return [];
      const namedAs = named.get(docId)?.namedAs ?? new Set();
      return [{ ...summary, linkedRoles: linked.get(docId)?.roles ?? [], namedAs: (['author', 'recipient'] as const).filter((l) => namedAs.has(l)) }];
    })
    .sort(byDate);
}

export function getPerson(archive: Archive, id: string): PersonDetails {
  return { ...getPersonRecord(archive, id), documents: personDocuments(archive, id) };
}

/** The people a document names: linked to it, or equal to one of its authors or recipients. */
export function peopleOfDocument(archive: Archive, documentId: string): DocumentPerson[] {
  const doc = archive.sql('SELECT authors, recipients FROM documents WHERE id = ?').get(documentId) as { authors: string; recipients: string } | undefined;
  if (!doc) throw new KartotekaError('NOT_FOUND', `No document ${documentId} in this archive.`);
  const found = new Map<string, DocumentPerson>();
  const entry = (row: PersonRow): DocumentPerson => {
    const existing = found.get(row.id);
    if (existing) return existing;
    const created: DocumentPerson = { person: personOf(row), linkedRoles: [], namedAs: [] };
    found.set(row.id, created);
    return created;
  };
  const links = archive
    .sql('SELECT p.*, dp.role AS link_role FROM document_people dp JOIN people p ON p.id = dp.person_id WHERE dp.document_id = ? ORDER BY dp.role')
    .all(documentId) as unknown as (PersonRow & { link_role: DocumentPersonRole })[];
  for (const row of links) entry(row).linkedRoles.push(row.link_role);
  const lists = { author: JSON.parse(doc.authors) as string[], recipient: JSON.parse(doc.recipients) as string[] };
  if (lists.author.length + lists.recipient.length > 0) {
    const keys = new Map<string, ('author' | 'recipient')[]>();
    for (const list of ['author', 'recipient'] as const) {
      for (const name of lists[list]) keys.set(nameKey(name), [...(keys.get(nameKey(name)) ?? []), list]);
    }
    for (const row of archive.sql('SELECT * FROM people').all() as unknown as PersonRow[]) {
      const as = new Set(keysOf(personOf(row)).flatMap((key) => keys.get(key) ?? []));
      if (as.size > 0) entry(row).namedAs.push(...(['author', 'recipient'] as const).filter((l) => as.has(l)));
    }
  }
  return [...found.values()].sort((a, b) => compareNames(a.person.name, b.person.name));
}

/** Links a person to a document with a role; the document is then found by every spelling of the person. */
export function linkPerson(archive: Archive, personId: string, documentId: string, role: DocumentPersonRole = 'mentioned'): DocumentPerson[] {
  archive.transaction(() => {
    const person = personRow(archive, personId);
    const doc = archive.sql('SELECT n FROM documents WHERE id = ?').get(documentId) as { n: number } | undefined;
    if (!doc) throw new KartotekaError('NOT_FOUND', `No document ${documentId} in this archive.`);
    const added = archive.sql('INSERT OR IGNORE INTO document_people (document_id, person_id, role) VALUES (?, ?, ?)').run(documentId, personId, role).changes;
    if (Number(added) === 0) return;
    reindexDocument(archive, doc.n);
    archive.audit('person.link', documentId, { personId, name: person.name, role });
  });
  return peopleOfDocument(archive, documentId);
}

/** Takes a person's link to a document away: with one role, or (role absent) all of them. */
export function unlinkPerson(archive: Archive, personId: string, documentId: string, role?: DocumentPersonRole): DocumentPerson[] {
  archive.transaction(() => {
    const doc = archive.sql('SELECT n FROM documents WHERE id = ?').get(documentId) as { n: number } | undefined;
    if (!doc) throw new KartotekaError('NOT_FOUND', `No document ${documentId} in this archive.`);
    const removed =
      role === undefined
        ? archive.sql('DELETE FROM document_people WHERE document_id = ? AND person_id = ?').run(documentId, personId).changes
        : archive.sql('DELETE FROM document_people WHERE document_id = ? AND person_id = ? AND role = ?').run(documentId, personId, role).changes;
    if (Number(removed) === 0) return;
    reindexDocument(archive, doc.n);
    archive.audit('person.unlink', documentId, { personId, role: role ?? null });
  });
  return peopleOfDocument(archive, documentId);
}
