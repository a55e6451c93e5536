import { type GlossaryEntry, GlossaryEntryInput, type GlossaryMatch } from '../shared/entities.ts';
import { KartotekaError } from '../shared/errors.ts';
import type { Highlight } from '../shared/reports.ts';
import type { Archive } from './archive.ts';
import { analyzeWord, fold, tokens } from './search/analyzer.ts';
import { paragraphsOf } from './translations.ts';

/**
 * One glossary for the archive: names and terms with the translation the team agreed on
 * ("оправдание терроризма" is "justification of terrorism"), shown beside the paragraph being translated.
 */

interface GlossaryRow {
  id: number;
  source_language: string;
  term: string;
  target_language: string;
  translation: string;
  note: string;
  updated_at: string;
}

const entryOf = (row: GlossaryRow): GlossaryEntry => ({
  id: row.id,
  sourceLanguage: row.source_language,
  term: row.term,
  targetLanguage: row.target_language,
  translation: row.translation,
  note: row.note,
  updatedAt: row.updated_at,
});

/** Language tags compare by their primary subtag: an entry for ru serves ru-RU documents. */
const primary = (language: string): string => language.toLowerCase().split('-')[0] ?? '';

/** A term's words folded, to tell one term from another whatever their case. */
const termKey = (term: string): string => Array.from(tokens(term), (t) => fold(t.word)).join(' ');

export function getGlossaryEntry(archive: Archive, id: number): GlossaryEntry {
  const row = archive.sql('SELECT * FROM glossary WHERE id = ?').get(id) as GlossaryRow | undefined;
  if (!row) throw new KartotekaError('NOT_FOUND', `No glossary entry ${id} in this archive.`);
  return entryOf(row);
}

export interface GlossaryFilter {
  sourceLanguage?: string | undefined;
  targetLanguage?: string | undefined;
  /** The start of the term or of its translation, in any case. */
  prefix?: string | undefined;
}

/** Entries by term, optionally for one pair of languages or starting so. */
export function listGlossary(archive: Archive, filter: GlossaryFilter = {}): GlossaryEntry[] {
  const prefix = fold(filter.prefix?.trim() ?? '');
  return (archive.sql('SELECT * FROM glossary').all() as unknown as GlossaryRow[])
    .map(entryOf)
    .filter(
      (e) =>
        (filter.sourceLanguage === undefined || primary(e.sourceLanguage) === primary(filter.sourceLanguage)) &&
        (filter.targetLanguage === undefined || primary(e.targetLanguage) === primary(filter.targetLanguage)) &&
        (prefix === '' || fold(e.term).startsWith(prefix) || fold(e.translation).startsWith(prefix)),
    )
    .sort((a, b) => a.term.localeCompare(b.term) || a.targetLanguage.localeCompare(b.targetLanguage) || a.id - b.id);
}

/** Adds an entry (id null or absent) or changes one; a term has one entry per pair of languages. */
export function saveGlossaryEntry(archive: Archive, id: number | null | undefined, input: GlossaryEntryInput): GlossaryEntry {
  const entry = GlossaryEntryInput.parse(input);
  const saved = archive.transaction(() => {
    const key = termKey(entry.term);
    const same = (archive.sql('SELECT * FROM glossary').all() as unknown as GlossaryRow[]).find(
      (row) =>
        row.id !== id &&
        primary(row.source_language) === primary(entry.sourceLanguage) &&
        primary(row.target_language) === primary(entry.targetLanguage) &&
        termKey(row.term) === key,
    );
    if (same) {
      throw new KartotekaError('CONFLICT', `The glossary already has "${same.term}" (${same.source_language} → ${same.target_language}): "${same.translation}".`, { id: same.id });
    }
    const now = archive.now();
    const fields = { sourceLanguage: entry.sourceLanguage, term: entry.term, targetLanguage: entry.targetLanguage, translation: entry.translation, note: entry.note };
    if (id === null || id === undefined) {
      const result = archive
        .sql('INSERT INTO glossary (source_language, term, target_language, translation, note, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(entry.sourceLanguage, entry.term, entry.targetLanguage, entry.translation, entry.note, now);
      const created = Number(result.lastInsertRowid);
      archive.audit('glossary.create', `glossary/${created}`, fields);
      return created;
    }
    const before = getGlossaryEntry(archive, id);
    archive
      .sql('UPDATE glossary SET source_language = ?, term = ?, target_language = ?, translation = ?, note = ?, updated_at = ? WHERE id = ?')
      .run(entry.sourceLanguage, entry.term, entry.targetLanguage, entry.translation, entry.note, now, id);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const field of Object.keys(fields) as (keyof typeof fields)[]) {
      if (before[field] !== fields[field]) changes[field] = { from: before[field], to: fields[field] };
    }
    archive.audit('glossary.update', `glossary/${id}`, changes);
    return id;
  });
  return getGlossaryEntry(archive, saved);
}

export function deleteGlossaryEntry(archive: Archive, id: number): { deleted: boolean } {
  return archive.transaction(() => {
    const row = archive.sql('SELECT * FROM glossary WHERE id = ?').get(id) as GlossaryRow | undefined;
    if (!row) return { deleted: false };
    archive.sql('DELETE FROM glossary WHERE id = ?').run(id);
    archive.audit('glossary.delete', `glossary/${id}`, { term: row.term, sourceLanguage: row.source_language, targetLanguage: row.target_language });
    return { deleted: true };
  });
}

/**
 * The entries whose term occurs in the text in any inflection, with where: a term matches where
 * the stems of its words follow one another in one paragraph (the search analyzer's stems, in the
 * source language), so "оправдание терроризма" matches "обвинён в оправдании терроризма".
 * First occurrence first.
 */
export function glossaryFor(archive: Archive, text: string, sourceLanguage: string, targetLanguage: string): GlossaryMatch[] {
  const entries = listGlossary(archive, { sourceLanguage, targetLanguage });
  if (entries.length === 0) return [];
  const terms = entries
    .map((entry) => ({ entry, stems: Array.from(tokens(entry.term), (t) => analyzeWord(t.word, sourceLanguage).stem) }))
    .filter((t) => t.stems.length > 0);
  const found = new Map<number, { entry: GlossaryEntry; matches: Highlight[] }>();
  for (const paragraph of paragraphsOf(text)) {
    const words = Array.from(tokens(paragraph.text), (t) => ({ stem: analyzeWord(t.word, sourceLanguage).stem, start: t.start, end: t.end }));
    const at = new Map<string, number[]>();
    words.forEach((w, i) => at.set(w.stem, [...(at.get(w.stem) ?? []), i]));
    for (const term of terms) {
      for (const i of at.get(term.stems[0] ?? '') ?? []) {
        if (!term.stems.every((stem, k) => words[i + k]?.stem === stem)) continue;
        const first = words[i];
        const last = words[i + term.stems.length - 1];
        if (!first || !last) continue;
        const match = found.get(term.entry.id) ?? { entry: term.entry, matches: [] };
        match.matches.push([paragraph.start + first.start, paragraph.start + last.end]);
        found.set(term.entry.id, match);
      }
    }
  }
  return [...found.values()].sort((a, b) => (a.matches[0]?.[0] ?? 0) - (b.matches[0]?.[0] ?? 0) || a.entry.term.localeCompare(b.entry.term));
}
