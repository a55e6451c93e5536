import { documentKinds, sensitivities } from '../shared/document.ts';

const list = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');

/** A JSON list column of a documents row as rows of values; a list that is not valid JSON counts as empty. */
const listOf = (column: string): string => `json_each(iif(json_valid(${column}), ${column}, '[]'))`;
/** The people of a documents row (OLD or NEW): its authors and recipients, each once. */
const peopleOf = (row: string): string => `SELECT value FROM ${listOf(`${row}.authors`)} UNION SELECT value FROM ${listOf(`${row}.recipients`)}`;

/** Adds a documents row's values (NEW) to the facet counts, each distinct value once. */
const countAdded = (row: string): string =>
  [
    `VALUES ('kind', ${row}.kind, 1)`,
    `VALUES ('language', ${row}.language, 1)`,
    `SELECT 'year', substr(${row}.date, 1, 4), 1 WHERE substr(${row}.date, 1, 4) <> ''`,
    `SELECT 'person', value, 1 FROM (${peopleOf(row)}) WHERE ${row}.authors <> '[]' OR ${row}.recipients <> '[]'`,
    `SELECT DISTINCT 'case', value, 1 FROM ${listOf(`${row}.cases`)} WHERE ${row}.cases <> '[]'`,
    `SELECT DISTINCT 'tag', value, 1 FROM ${listOf(`${row}.tags`)} WHERE ${row}.tags <> '[]'`,
  ]
    .map((values) => `  INSERT INTO facet_counts (facet, value, count) ${values} ON CONFLICT (facet, value) DO UPDATE SET count = count + 1;`)
    .join('\n');

/** Takes a documents row's values (OLD) off the facet counts; a value no document has any more goes. */
const countRemoved = (row: string): string => {
  const values = `
    SELECT 'kind', ${row}.kind UNION ALL SELECT 'language', ${row}.language
    UNION ALL SELECT 'year', substr(${row}.date, 1, 4) WHERE substr(${row}.date, 1, 4) <> ''
    UNION ALL SELECT 'person', value FROM (${peopleOf(row)})
    UNION ALL SELECT 'case', value FROM (SELECT DISTINCT value FROM ${listOf(`${row}.cases`)})
    UNION ALL SELECT 'tag', value FROM (SELECT DISTINCT value FROM ${listOf(`${row}.tags`)})`;
  return `  UPDATE facet_counts SET count = count - 1 WHERE (facet, value) IN (${values});
  DELETE FROM facet_counts WHERE count = 0 AND (facet, value) IN (${values});`;
};

const facetTrigger = (name: string, when: string, body: string): string => `CREATE TRIGGER facet_counts_${name} ${when} BEGIN\n${body}\nEND;`;

/**
 * Numbered schema migrations. An archive records the last one applied in PRAGMA user_version;
 * a migration is never edited once released, only followed by a new one.
 */
export const migrations: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

CREATE TABLE documents (
  n INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN (${list(documentKinds)})),
  title TEXT NOT NULL,
  language TEXT NOT NULL,
  date TEXT,
  date_approximate INTEGER NOT NULL DEFAULT 0,
  authors TEXT NOT NULL DEFAULT '[]',
  recipients TEXT NOT NULL DEFAULT '[]',
  source TEXT NOT NULL DEFAULT '',
  sensitivity TEXT NOT NULL CHECK (sensitivity IN (${list(sensitivities)})),
  tags TEXT NOT NULL DEFAULT '[]',
  notes TEXT NOT NULL DEFAULT '',
  translation_of TEXT REFERENCES documents(id) ON DELETE SET NULL,
  text TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX documents_translation_of ON documents(translation_of);

CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE document_files (
  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  file_name TEXT NOT NULL,
  media_type TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT 'original',
  position INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (document_id, sha256)
) STRICT;
CREATE INDEX document_files_sha256 ON document_files(sha256);

-- Search v0: unicode61 folds case (Latin and Cyrillic) and Latin diacritics.
CREATE VIRTUAL TABLE documents_fts USING fts5(title, people, body, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE documents_fts_vocab USING fts5vocab(documents_fts, 'row');

CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
`,
  },
  {
    version: 2,
    sql: `
-- Ingestion: how the text was obtained, and what a person set by hand.
ALTER TABLE documents ADD COLUMN text_source TEXT NOT NULL DEFAULT 'text' CHECK (text_source IN ('text', 'ocr', 'none'));
ALTER TABLE documents ADD COLUMN text_hash TEXT;
-- Characters of text: FTS5's snippet() is quadratic on huge texts, so search avoids it there.
ALTER TABLE documents ADD COLUMN text_length INTEGER NOT NULL DEFAULT 0;
-- JSON: importer, encoding {name, confidence, bom, source}, repair, warnings, details.
ALTER TABLE documents ADD COLUMN extraction TEXT NOT NULL DEFAULT '{}';
-- JSON list of metadata fields a person edited; suggestions never overwrite them.
ALTER TABLE documents ADD COLUMN user_fields TEXT NOT NULL DEFAULT '[]';
CREATE INDEX documents_text_hash ON documents(text_hash) WHERE text_hash IS NOT NULL;

CREATE TABLE document_pages (
  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  page INTEGER NOT NULL,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  PRIMARY KEY (document_id, page)
) STRICT;

CREATE TABLE document_cues (
  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  start_seconds REAL NOT NULL,
  end_seconds REAL NOT NULL,
  text_start INTEGER NOT NULL,
  text_end INTEGER NOT NULL,
  speaker TEXT,
  PRIMARY KEY (document_id, seq)
) STRICT;

CREATE TABLE document_links (
  from_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  to_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('attachment', 'transcript', 'possible-duplicate')),
  created_at TEXT NOT NULL,
  PRIMARY KEY (from_id, to_id, kind)
) STRICT;
CREATE INDEX document_links_to ON document_links(to_id);

-- Where an imported file came from, so that running an import again skips what is already in.
CREATE TABLE file_sources (
  path TEXT PRIMARY KEY,
  dir TEXT NOT NULL,
  base TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime_ms INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  import_run INTEGER,
  imported_at TEXT NOT NULL
) STRICT;
CREATE INDEX file_sources_dir_base ON file_sources(dir, base);
CREATE INDEX file_sources_document ON file_sources(document_id);

CREATE TABLE import_runs (
  id INTEGER PRIMARY KEY,
  pid INTEGER NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'cancelled', 'interrupted')),
  roots TEXT NOT NULL,
  counts TEXT NOT NULL DEFAULT '{}'
) STRICT;
`,
  },
  {
    version: 3,
    sql: `
-- Search: the index holds our analyzer's terms, not the text (which is in documents.text), so it
-- is contentless. Stems of title, people and body, one per word in order (phrases match on them),
-- then their transliteration and Cyrillic keys. Filled by the background rebuild (index_version).
DROP TABLE documents_fts_vocab;
DROP TABLE documents_fts;
CREATE VIRTUAL TABLE documents_index USING fts5(
  title, people, body, title_keys, people_keys, body_keys,
  content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0'
);
CREATE VIRTUAL TABLE documents_index_vocab USING fts5vocab(documents_index, 'row');
INSERT OR REPLACE INTO meta (key, value) VALUES ('index_version', '0'), ('index_progress', '0');

-- Cases a document belongs to (names or numbers), like tags.
ALTER TABLE documents ADD COLUMN cases TEXT NOT NULL DEFAULT '[]';
CREATE INDEX documents_date ON documents(date);
CREATE INDEX documents_kind ON documents(kind);
CREATE INDEX documents_language ON documents(language);

CREATE TABLE saved_searches (
  name TEXT PRIMARY KEY,
  query TEXT NOT NULL,
  sort TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
`,
  },
  {
    version: 4,
    sql: `
-- People and cases as things of their own. A document names people in authors/recipients (and
-- links them here with a role); a person's name variants feed the search's people column.
CREATE TABLE people (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  -- JSON list of other spellings and scripts: ["Кагарлицкий Борис", "Kagarlitsky Boris"].
  variants TEXT NOT NULL DEFAULT '[]',
  -- JSON list of: prisoner, relative, lawyer, translator, author, journalist, other.
  roles TEXT NOT NULL DEFAULT '[]',
  notes TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE TABLE document_people (
  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  role TEXT NOT NULL DEFAULT 'mentioned',
  PRIMARY KEY (document_id, person_id, role)
) STRICT;
CREATE INDEX document_people_person ON document_people(person_id);

-- A case: documents.cases holds case titles, kept in step when a case is renamed.
CREATE TABLE cases (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL UNIQUE,
  court TEXT NOT NULL DEFAULT '',
  -- JSON list of charges: [{"article": "205.2(2)", "code": "Criminal Code of the Russian Federation", "description": "..."}].
  charges TEXT NOT NULL DEFAULT '[]',
  notes TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE TABLE case_events (
  id INTEGER PRIMARY KEY,
  case_id TEXT REFERENCES cases(id) ON DELETE CASCADE,
  person_id TEXT REFERENCES people(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('arrest', 'detention', 'charge', 'trial', 'verdict', 'appeal', 'transfer', 'release', 'other')),
  date TEXT NOT NULL,
  place TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  CHECK (case_id IS NOT NULL OR person_id IS NOT NULL)
) STRICT;
CREATE INDEX case_events_case ON case_events(case_id);
CREATE INDEX case_events_person ON case_events(person_id);

CREATE TABLE collections (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
) STRICT;
CREATE TABLE collection_documents (
  collection_id TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  added_at TEXT NOT NULL,
  PRIMARY KEY (collection_id, document_id)
) STRICT;
CREATE INDEX collection_documents_document ON collection_documents(document_id);

-- Spans of a document's text that must never leave the archive (a relative's address, a
-- source's name): kept here, blacked out in every bundle. Offsets in UTF-16 code units of documents.text.
CREATE TABLE redactions (
  id INTEGER PRIMARY KEY,
  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  CHECK ("end" > start AND start >= 0)
) STRICT;
CREATE INDEX redactions_document ON redactions(document_id);

-- Translations: who translated, how far along; a translation made in the app is kept paragraph by
-- paragraph against its original's paragraphs (seq = the original's paragraph number).
ALTER TABLE documents ADD COLUMN translator TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN translation_status TEXT CHECK (translation_status IN ('draft', 'reviewed', 'final'));
CREATE TABLE translation_segments (
  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  source_start INTEGER NOT NULL,
  source_end INTEGER NOT NULL,
  text TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (document_id, seq)
) STRICT;

-- One glossary shared across the archive: names and terms with their agreed translations.
CREATE TABLE glossary (
  id INTEGER PRIMARY KEY,
  source_language TEXT NOT NULL,
  term TEXT NOT NULL,
  target_language TEXT NOT NULL,
  translation TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL,
  UNIQUE (source_language, term, target_language)
) STRICT;
`,
  },
  {
    version: 5,
    sql: `
-- Search joins every match to its document's metadata for filters, counts and facets. A row of
-- documents holds the whole text, so reading it costs a page or more per match (measured: 173 ms
-- to count 62,648 matches at 100,000 documents); this covering index holds only what search reads.
CREATE INDEX documents_search ON documents(n, kind, language, date, sensitivity, tags, cases, authors, recipients);
`,
  },
  {
    version: 6,
    sql: `
-- What an import left for a person to look at, kept with its run so that it is there after a
-- restart: the files that failed (code and message) and the possible duplicates (the document
-- imported and the one whose text it repeats). seq is the file's place in the run. Written in the
-- transaction that commits the file's outcome.
CREATE TABLE import_run_files (
  run_id INTEGER NOT NULL REFERENCES import_runs(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  file TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('failed', 'possible-duplicate')),
  code TEXT,
  message TEXT,
  document_id TEXT,
  duplicate_of TEXT,
  PRIMARY KEY (run_id, seq)
) STRICT;
`,
  },
  {
    version: 7,
    sql: `
-- The library overview counts the whole archive (kinds, languages, years, people, cases, tags) on
-- every refresh; reading 100,000 rows for it took ~0.5 s and held up every other request. These
-- counts are kept as documents change, so the overview reads a few hundred rows instead. A
-- document counts once per distinct value, a person once whether author, recipient or both.
-- A list that is not valid JSON (a damaged row) counts as empty rather than refusing the write.
-- The triggers cost ~0.1 ms per inserted document (measured: 100,000 inserts in one transaction,
-- 7 s without them, 21 s with), little beside extracting a file's text.
CREATE TABLE facet_counts (
  facet TEXT NOT NULL,
  value TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (facet, value)
) STRICT, WITHOUT ROWID;
INSERT INTO facet_counts (facet, value, count)
  SELECT 'kind', kind, count(*) FROM documents GROUP BY kind
  UNION ALL SELECT 'language', language, count(*) FROM documents GROUP BY language
  UNION ALL SELECT 'year', substr(date, 1, 4), count(*) FROM documents WHERE substr(date, 1, 4) <> '' GROUP BY 2
  UNION ALL SELECT 'person', value, count(*) FROM (SELECT d.n, j.value FROM documents d, json_each(iif(json_valid(d.authors), d.authors, '[]')) j UNION SELECT d.n, j.value FROM documents d, json_each(iif(json_valid(d.recipients), d.recipients, '[]')) j) GROUP BY value
  UNION ALL SELECT 'case', value, count(*) FROM (SELECT DISTINCT d.n, j.value FROM documents d, json_each(iif(json_valid(d.cases), d.cases, '[]')) j) GROUP BY value
  UNION ALL SELECT 'tag', value, count(*) FROM (SELECT DISTINCT d.n, j.value FROM documents d, json_each(iif(json_valid(d.tags), d.tags, '[]')) j) GROUP BY value;
${facetTrigger('insert', 'AFTER INSERT ON documents', countAdded('NEW'))}
${facetTrigger('delete', 'AFTER DELETE ON documents', countRemoved('OLD'))}
${facetTrigger('update', 'AFTER UPDATE OF kind, language, date, authors, recipients, cases, tags ON documents', `${countRemoved('OLD')}\n${countAdded('NEW')}`)}
`,
  },
];

export const latestSchemaVersion = migrations.at(-1)?.version ?? 0;
