import type { DocumentSummary } from '../shared/document.ts';
import {
  type Case,
  type CaseDetails,
  type CaseEvent,
  CaseEventInput,
  CaseInput,
  type CaseList,
  type Charge,
  type EventKind,
  type TimelineItem,
} from '../shared/entities.ts';
import { KartotekaError } from '../shared/errors.ts';
import { compareNames } from '../shared/names.ts';
import type { Archive } from './archive.ts';
import { newDocumentId } from './clock.ts';
import { SUMMARY_COLUMNS, type SummaryRow, applyDocumentPatch, listKey, summaryOf } from './documents.ts';
import { byDate, getPersonRecord, personDocuments } from './people.ts';

interface CaseRow {
  id: string;
  title: string;
  court: string;
  charges: string;
  notes: string;
  created_at: string;
  updated_at: string;
}

const caseOf = (row: CaseRow): Case => ({
  id: row.id,
  title: row.title,
  court: row.court,
  charges: JSON.parse(row.charges) as Charge[],
  notes: row.notes,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

function caseRow(archive: Archive, id: string): CaseRow {
  const row = archive.sql('SELECT * FROM cases WHERE id = ?').get(id) as CaseRow | undefined;
  if (!row) throw new KartotekaError('NOT_FOUND', `No case ${id} in this archive.`);
  return row;
}

const registered = new WeakSet<Archive>();

/** Case titles in documents compare as the search's case: filter compares them (folded). */
function withListKey(archive: Archive): void {
  if (registered.has(archive)) return;
  archive.db.function('kartoteka_list_key', { deterministic: true }, (value) => (typeof value === 'string' ? listKey(value) : null));
  registered.add(archive);
}

interface DocumentInCase {
  n: number;
  id: string;
  cases: string[];
}

/** Documents whose cases list names the title. */
function documentsInCase(archive: Archive, title: string): DocumentInCase[] {
  withListKey(archive);
  const rows = archive
    .sql(`SELECT d.n, d.id, d.cases FROM documents d WHERE d.cases <> '[]' AND EXISTS (SELECT 1 FROM json_each(d.cases) WHERE kartoteka_list_key(value) = ?)`)
    .all(listKey(title)) as unknown as { n: number; id: string; cases: string }[];
  return rows.map((r) => ({ n: r.n, id: r.id, cases: JSON.parse(r.cases) as string[] }));
}

/** Summaries of the documents in a case, oldest first. */
export function caseDocuments(archive: Archive, title: string): DocumentSummary[] {
  withListKey(archive);
  const rows = archive
    .sql(
      `SELECT ${SUMMARY_COLUMNS} FROM documents d
       WHERE d.cases <> '[]' AND EXISTS (SELECT 1 FROM json_each(d.cases) WHERE kartoteka_list_key(value) = ?)
       ORDER BY d.date IS NULL, d.date, d.n`,
    )
    .all(listKey(title)) as unknown as SummaryRow[];
  return rows.map(summaryOf);
}

function assertTitleFree(archive: Archive, title: string, self: string | null): void {
  const key = listKey(title);
  for (const row of archive.sql('SELECT id, title FROM cases').all() as unknown as { id: string; title: string }[]) {
    if (row.id !== self && listKey(row.title) === key) {
      throw new KartotekaError('CONFLICT', `There is already a case titled "${row.title}".`, { id: row.id });
    }
  }
}

/**
 * Creates a case (id null or absent) or changes one. Renaming a case renames it in the cases list
 * of every document in it, in the same transaction (an audit row per document).
 */
export function saveCase(archive: Archive, id: string | null | undefined, input: CaseInput): Case {
  const parsed = CaseInput.parse(input);
  const caseId = id ?? newDocumentId(archive.clock());
  archive.transaction(() => {
    const now = archive.now();
    assertTitleFree(archive, parsed.title, id ?? null);
    if (id === null || id === undefined) {
      archive
        .sql('INSERT INTO cases (id, title, court, charges, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(caseId, parsed.title, parsed.court, JSON.stringify(parsed.charges), parsed.notes, now, now);
      archive.audit('case.create', caseId, { title: parsed.title, court: parsed.court, charges: parsed.charges });
      return;
    }
    const before = caseOf(caseRow(archive, id));
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of ['title', 'court', 'charges', 'notes'] as const) {
      if (JSON.stringify(before[key]) !== JSON.stringify(parsed[key])) changes[key] = { from: before[key], to: parsed[key] };
    }
    if (Object.keys(changes).length === 0) return;
    archive
      .sql('UPDATE cases SET title = ?, court = ?, charges = ?, notes = ?, updated_at = ? WHERE id = ?')
      .run(parsed.title, parsed.court, JSON.stringify(parsed.charges), parsed.notes, now, id);
    let renamed = 0;
    if (before.title !== parsed.title) {
      const oldKey = listKey(before.title);
      for (const doc of documentsInCase(archive, before.title)) {
        const cases: string[] = [];
        for (const title of doc.cases.map((c) => (listKey(c) === oldKey ? parsed.title : c))) {
          if (!cases.some((c) => listKey(c) === listKey(title))) cases.push(title);
        }
        if (applyDocumentPatch(archive, doc.id, { cases })) renamed++;
      }
    }
    archive.audit('case.update', id, { ...changes, ...(renamed > 0 ? { documentsRenamed: renamed } : {}) });
  });
  return caseOf(caseRow(archive, caseId));
}

/**
 * Deletes a case and its events. Its documents keep the title in their cases list unless
 * `detachDocuments` (a case made again under that title finds them again).
 */
export function deleteCase(archive: Archive, id: string, options: { detachDocuments?: boolean | undefined } = {}): { deleted: boolean; documentsChanged: number } {
  return archive.transaction(() => {
    const row = archive.sql('SELECT * FROM cases WHERE id = ?').get(id) as CaseRow | undefined;
    if (!row) return { deleted: false, documentsChanged: 0 };
    let changed = 0;
    if (options.detachDocuments === true) {
      const key = listKey(row.title);
      for (const doc of documentsInCase(archive, row.title)) {
        if (applyDocumentPatch(archive, doc.id, { cases: doc.cases.filter((c) => listKey(c) !== key) })) changed++;
      }
    }
    const events = archive.sql('DELETE FROM case_events WHERE case_id = ?').run(id).changes;
    archive.sql('DELETE FROM cases WHERE id = ?').run(id);
    archive.audit('case.delete', id, { title: row.title, eventsDeleted: Number(events), documentsDetached: changed });
    return { deleted: true, documentsChanged: changed };
  });
}

/** Recorded cases by title with their counts, and the case titles documents use that have no record. */
export function listCases(archive: Archive): CaseList {
  const counts = new Map<string, { title: string; count: number }>();
  const rows = archive.sql(`SELECT cases FROM documents WHERE cases <> '[]'`).all() as unknown as { cases: string }[];
  for (const row of rows) {
    const seen = new Set<string>();
    for (const title of JSON.parse(row.cases) as string[]) {
      const key = listKey(title);
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = counts.get(key) ?? { title, count: 0 };
      entry.count++;
      counts.set(key, entry);
    }
  }
  const events = new Map(
    (archive.sql('SELECT case_id AS id, count(*) AS c FROM case_events WHERE case_id IS NOT NULL GROUP BY case_id').all() as unknown as { id: string; c: number }[]).map(
      (r) => [r.id, r.c],
    ),
  );
  const cases = (archive.sql('SELECT * FROM cases').all() as unknown as CaseRow[]).map(caseOf);
  const recorded = new Set(cases.map((c) => listKey(c.title)));
  return {
    items: cases
      .map((c) => ({ ...c, documentCount: counts.get(listKey(c.title))?.count ?? 0, eventCount: events.get(c.id) ?? 0 }))
      .sort((a, b) => compareNames(a.title, b.title)),
    unrecorded: [...counts.entries()]
      .filter(([key]) => !recorded.has(key))
      .map(([, { title, count }]) => ({ title, documentCount: count }))
      .sort((a, b) => compareNames(a.title, b.title)),
  };
}

interface EventRow {
  id: number;
  case_id: string | null;
  case_title: string | null;
  person_id: string | null;
  person_name: string | null;
  kind: string;
  date: string;
  place: string;
  description: string;
}

const EVENT_SELECT = `SELECT e.id, e.case_id, c.title AS case_title, e.person_id, p.name AS person_name, e.kind, e.date, e.place, e.description
  FROM case_events e LEFT JOIN cases c ON c.id = e.case_id LEFT JOIN people p ON p.id = e.person_id`;

const eventOf = (row: EventRow): CaseEvent => ({
  id: row.id,
  caseId: row.case_id,
  caseTitle: row.case_title,
  personId: row.person_id,
  personName: row.person_name,
  kind: row.kind as EventKind,
  date: row.date,
  place: row.place,
  description: row.description,
});

function eventsWhere(archive: Archive, where: string, value: string): CaseEvent[] {
  const rows = archive.sql(`${EVENT_SELECT} WHERE ${where} ORDER BY e.date, e.id`).all(value) as unknown as EventRow[];
  return rows.map(eventOf);
}

export function getEvent(archive: Archive, id: number): CaseEvent {
  const row = archive.sql(`${EVENT_SELECT} WHERE e.id = ?`).get(id) as EventRow | undefined;
  if (!row) throw new KartotekaError('NOT_FOUND', `No event ${id} in this archive.`);
  return eventOf(row);
}

export function getCase(archive: Archive, id: string): CaseDetails {
  const found = caseOf(caseRow(archive, id));
  return { ...found, events: eventsWhere(archive, 'e.case_id = ?', id), documents: caseDocuments(archive, found.title) };
}

/** Adds an event (no id) or changes one: an arrest, a hearing, a verdict, a transfer to another colony. */
export function saveEvent(archive: Archive, input: CaseEventInput): CaseEvent {
  const event = CaseEventInput.parse(input);
  const id = archive.transaction(() => {
    if (event.caseId !== null) caseRow(archive, event.caseId);
    if (event.personId !== null) getPersonRecord(archive, event.personId);
    const fields = { caseId: event.caseId, personId: event.personId, kind: event.kind, date: event.date, place: event.place, description: event.description };
    if (event.id === undefined) {
      const result = archive
        .sql('INSERT INTO case_events (case_id, person_id, kind, date, place, description) VALUES (?, ?, ?, ?, ?, ?)')
        .run(event.caseId, event.personId, event.kind, event.date, event.place, event.description);
      const created = Number(result.lastInsertRowid);
      archive.audit('case.event.create', event.caseId ?? event.personId, { id: created, ...fields });
      return created;
    }
    const before = getEvent(archive, event.id);
    archive
      .sql('UPDATE case_events SET case_id = ?, person_id = ?, kind = ?, date = ?, place = ?, description = ? WHERE id = ?')
      .run(event.caseId, event.personId, event.kind, event.date, event.place, event.description, event.id);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of Object.keys(fields) as (keyof typeof fields)[]) {
      if (before[key] !== fields[key]) changes[key] = { from: before[key], to: fields[key] };
    }
    archive.audit('case.event.update', event.caseId ?? event.personId, { id: event.id, ...changes });
    return event.id;
  });
  return getEvent(archive, id);
}

export function deleteEvent(archive: Archive, id: number): { deleted: boolean } {
  return archive.transaction(() => {
    const row = archive.sql(`${EVENT_SELECT} WHERE e.id = ?`).get(id) as EventRow | undefined;
    if (!row) return { deleted: false };
    archive.sql('DELETE FROM case_events WHERE id = ?').run(id);
    const event = eventOf(row);
    archive.audit('case.event.delete', event.caseId ?? event.personId, { id, kind: event.kind, date: event.date });
    return { deleted: true };
  });
}

const plainSummary = (doc: DocumentSummary): DocumentSummary => ({
  id: doc.id,
  kind: doc.kind,
  title: doc.title,
  language: doc.language,
  date: doc.date,
  dateApproximate: doc.dateApproximate,
  authors: doc.authors,
  sensitivity: doc.sensitivity,
  translationOf: doc.translationOf,
  fileName: doc.fileName,
});

/**
 * A case's or a person's events and documents in one line by date: partial dates sort before the
 * days they contain (2024 before 2024-03-01), an event before a document of the same date, and
 * undated documents last.
 */
export function timeline(archive: Archive, of: { personId: string } | { caseId: string }): TimelineItem[] {
  let events: CaseEvent[];
  let documents: DocumentSummary[];
  if ('caseId' in of) {
    const found = caseOf(caseRow(archive, of.caseId));
    events = eventsWhere(archive, 'e.case_id = ?', of.caseId);
    documents = caseDocuments(archive, found.title);
  } else {
    events = eventsWhere(archive, 'e.person_id = ?', of.personId);
    documents = personDocuments(archive, of.personId).map(plainSummary);
  }
  const items: TimelineItem[] = [
    ...events.map((event): TimelineItem => ({ type: 'event', date: event.date, event })),
    ...[...documents].sort(byDate).map((document): TimelineItem => ({ type: 'document', date: document.date, document })),
  ];
  const rank = (item: TimelineItem): number => (item.type === 'event' ? 0 : 1);
  return items.sort((a, b) => {
    if (a.date === null || b.date === null) return a.date === b.date ? 0 : a.date === null ? 1 : -1;
    return a.date < b.date ? -1 : a.date > b.date ? 1 : rank(a) - rank(b);
  });
}
