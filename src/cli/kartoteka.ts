import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Archive } from '../core/archive.ts';
import { sampleArchiveDir } from '../core/default-paths.ts';
import { getDocument } from '../core/documents.ts';
import { indexState, rebuildStep, startRebuild } from '../core/search/indexing.ts';
import { deleteSavedSearch, getSavedSearch, listSavedSearches, saveSearch } from '../core/search/saved.ts';
import { search } from '../core/search/search.ts';
import { SearchSort } from '../shared/reports.ts';
import { contract } from '../shared/contract.ts';
import { type OcrLanguage, ocrLanguages } from '../shared/document.ts';
import { verifyArchive } from '../core/verify.ts';
import { KartotekaError, toEnvelope } from '../shared/errors.ts';
import { platformFacts, resolveArchiveDir, settingsFile } from './archive-location.ts';
import { createProgressReporter } from './progress.ts';
// Bundles (issue 6)
import { bundleEnvironment, bundleFlags, bundleUsage, exportCommand, importBundleCommand } from './bundles.ts';

// Importing, OCR and the server load on demand: `search` and `show` start in a fraction of the time.
const ingestion = async () => {
  const [{ importPaths }, { reextractDocument }, { findTessdata }] = await Promise.all([
    import('../core/import.ts'),
    import('../core/ingest/reextract.ts'),
    import('../core/ocr.ts'),
  ]);
  return { importPaths, reextractDocument, findTessdata };
};

export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
export const rendererDir = fileURLToPath(new URL('../../out/renderer/', import.meta.url));
export const sampleSourceDir = fileURLToPath(new URL('../../resources/sample/', import.meta.url));

const usage = `Usage: kartoteka [--archive DIR] [--json] <command> [arguments]

Commands:
  init                      create a new, empty archive
  import <file|folder>...   import documents, folders recursively; [--jsonl] [--workers N]
                            [--max-file-mb N]; Ctrl+C cancels (run again to finish)
  reextract <id>            read a document's original again; [--encoding NAME] [--no-repair] [--ocr-languages rus,ukr,eng]
  search <query>            full-text search; [--limit N] [--offset N] [--sort relevance|date-desc|date-asc]
                            [--saved NAME] runs a saved search; the query language is in the README
  saved [list]              the saved searches
  saved save <name> <query> save a search under a name; [--sort ...]
  saved delete <name>       forget a saved search
  reindex                   rebuild the search index, with progress
  show <id>                 a document's metadata and text
  verify                    re-hash every original and check the audit chain
  serve                     the local web mode on 127.0.0.1; [--port N] [--sample]
                            [--settings FILE] (default: the desktop app's settings file)
${bundleUsage}

The archive is --archive DIR, else $KARTOTEKA_ARCHIVE, else the desktop app's archive.
With --json every command prints one JSON document on stdout.
Exit status: 0 when all went well, 1 when a file failed or a check found a problem, 2 on a usage error.`;

interface Output {
  json: boolean;
  out: (text: string) => void;
  err: (text: string) => void;
}

class UsageError extends Error {}

const print = (o: Output, value: unknown, human: () => string): void => o.out(o.json ? JSON.stringify(value, null, 2) : human());

const intFlag = (value: string | undefined, name: string, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number, not "${value}".`);
  return n;
};

function openExisting(dir: string): Archive {
  try {
    return Archive.open(dir);
  } catch (error) {
    if (error instanceof KartotekaError && error.code === 'NOT_AN_ARCHIVE') {
      throw new KartotekaError('NOT_AN_ARCHIVE', `${error.message} Create one with \`kartoteka init --archive ${dir}\`, or choose another with --archive.`);
    }
    throw error;
  }
}

const highlight = (snippet: string, ranges: readonly (readonly [number, number])[], tty: boolean): string => {
  let result = '';
  let at = 0;
  for (const [start, end] of ranges) {
    result += snippet.slice(at, start) + (tty ? `\x1b[1;33m${snippet.slice(start, end)}\x1b[0m` : `[${snippet.slice(start, end)}]`);
    at = end;
  }
  return (result + snippet.slice(at)).replace(/\s+/gu, ' ').trim();
};

const sortFlag = (value: string | undefined): SearchSort => {
  if (value === undefined) return 'relevance';
  const parsed = SearchSort.safeParse(value);
  if (!parsed.success) throw new UsageError(`--sort is relevance, date-desc or date-asc, not "${value}".`);
  return parsed.data;
};

/** --ocr-languages rus,ukr: the languages to recognise a scan in, by the contract's schema. */
const ocrLanguagesFlag = (value: string | undefined): OcrLanguage[] | undefined => {
  if (value === undefined) return undefined;
  const parsed = contract['documents.reread'].request.shape.ocrLanguages.safeParse(value.split(',').map((l) => l.trim()));
  if (!parsed.success || !parsed.data) throw new UsageError(`--ocr-languages is a comma-separated list of ${ocrLanguages.join(', ')}, not "${value}".`);
  return parsed.data;
};

const clock = (seconds: number): string => {
  const s = Math.floor(seconds);
  const hms = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  return (hms[0] ? hms : hms.slice(1)).map((n, i) => (i === 0 ? String(n) : String(n).padStart(2, '0'))).join(':');
};

/** Rebuilds what the search index lacks (after an analyzer change), with progress on stderr. */
function bringIndexUpToDate(archive: Archive, o: Output, quiet: boolean): ReturnType<typeof indexState> {
  let state = indexState(archive);
  if (state.current) return state;
  const started = Date.now();
  const bar = quiet ? undefined : createProgressReporter(process.stderr.isTTY ? process.stderr : { isTTY: false, write: (text) => o.err(text.trimEnd()) }, 'documents');
  while (!state.current) {
    state = rebuildStep(archive, 200);
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(state.done / seconds) : 0;
    bar?.update({
      phase: state.current ? 'finished' : 'importing',
      total: state.total,
      done: state.done,
      imported: state.done,
      duplicates: 0,
      possibleDuplicates: 0,
      failed: 0,
      filesPerSecond: rate,
      secondsLeft: rate > 0 ? Math.round((state.total - state.done) / rate) : null,
      currentFile: null,
    });
  }
  bar?.finish();
  return state;
}

async function run(argv: string[], o: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      archive: { type: 'string' },
      json: { type: 'boolean', default: false },
      limit: { type: 'string' },
      offset: { type: 'string' },
      port: { type: 'string' },
      sample: { type: 'boolean', default: false },
      settings: { type: 'string' },
      jsonl: { type: 'boolean', default: false },
      workers: { type: 'string' },
      'max-file-mb': { type: 'string' },
      encoding: { type: 'string' },
      'ocr-languages': { type: 'string' },
      'no-repair': { type: 'boolean', default: false },
      repair: { type: 'boolean', default: false },
      sort: { type: 'string' },
      saved: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      // Bundles (issue 6)
      ...bundleFlags,
    },
  });
  const [command, ...args] = positionals;
  if (values.help || command === undefined || command === 'help') {
    o.out(usage);
    return command === undefined && !values.help ? 2 : 0;
  }
  const dir = resolveArchiveDir(values.archive, platformFacts(), values.settings);

  switch (command) {
    case 'init': {
      const archive = Archive.create(dir);
      const info = { path: archive.root, schemaVersion: archive.schemaVersion };
      archive.close();
      print(o, info, () => `Created an empty archive in ${info.path}`);
      return 0;
    }
    case 'import': {
      if (args.length === 0) throw new UsageError('import needs at least one file or folder.');
      const workers = values.workers === undefined ? undefined : intFlag(values.workers, 'workers', 0);
      const maxFileMb = values['max-file-mb'] === undefined ? undefined : intFlag(values['max-file-mb'], 'max-file-mb', 500);
      const archive = openExisting(dir);
      const { importPaths, findTessdata } = await ingestion();
      const controller = new AbortController();
      // First Ctrl+C: stop taking files, keep what is done. A second one ends the process.
      const cancel = (): void => {
        if (controller.signal.aborted) process.exit(130);
        controller.abort();
        o.err('\nCancelling: files already imported stay; run the same import again to finish.');
      };
      process.on('SIGINT', cancel);
      const bar =
        values.json || values.jsonl
          ? undefined
          : createProgressReporter(process.stderr.isTTY ? process.stderr : { isTTY: false, write: (text) => o.err(text.trimEnd()) });
      try {
        const report = await importPaths(archive, args, {
          signal: controller.signal,
          workers,
          tessdata: findTessdata(process.env),
          ...(maxFileMb === undefined ? {} : { limits: { maxFileBytes: maxFileMb * 1024 * 1024 } }),
          onProgress: bar ? (p) => bar.update(p) : undefined,
          // Each line is written once the file is committed: a crash never takes back a reported file.
          onFile: values.jsonl
            ? (event) => o.out(JSON.stringify(event))
            : values.json
              ? undefined
              : (event) => {
                  if (event.status === 'failed') o.err(`FAILED  ${event.file}  ${event.code}: ${event.message}`);
                },
        });
        bar?.finish();
        const summary = `${report.imported.length} imported, ${report.duplicates.length} duplicates, ${report.possibleDuplicates.length} possible duplicates, ${report.failed.length} failed${report.cancelled ? ' (cancelled: run the same import again to finish)' : ''}`;
        if (values.jsonl) o.out(JSON.stringify({ status: 'summary', ...report, imported: report.imported.length, duplicates: report.duplicates.length, possibleDuplicates: report.possibleDuplicates.length, failed: report.failed.length }));
        else print(o, report, () =>
          [
            ...report.possibleDuplicates.map((d) => `possible duplicate  ${d.file}  (same text as ${d.duplicateOf})`),
            ...report.warnings.map((w) => `warning  ${w.file}: ${w.message}`),
            summary,
          ].join('\n'),
        );
        return report.failed.length > 0 || report.cancelled ? 1 : 0;
      } finally {
        process.off('SIGINT', cancel);
        archive.close();
      }
    }
    case 'reextract': {
      const [id] = args;
      if (!id) throw new UsageError('reextract needs a document id.');
      const archive = openExisting(dir);
      const { reextractDocument, findTessdata } = await ingestion();
      try {
        const doc = await reextractDocument(archive, id, {
          encoding: values.encoding,
          repairMojibake: values['no-repair'] ? false : values.repair ? true : undefined,
          tessdata: findTessdata(process.env),
          ocrLanguages: ocrLanguagesFlag(values['ocr-languages']),
        });
        print(o, doc, () => `${doc.title}\nencoding: ${doc.encoding?.name ?? '-'}${doc.repair ? `\nrepair: ${doc.repair.steps.join(', ')}${doc.repair.reverted ? ' (reverted)' : ''}` : ''}\n\n${doc.text}`);
        return 0;
      } finally {
        archive.close();
      }
    }
    case 'search': {
      const offset = intFlag(values.offset, 'offset', 0);
      const limit = intFlag(values.limit, 'limit', 20);
      const sort = sortFlag(values.sort);
      if (!values.saved && !args.join(' ').trim()) throw new UsageError('search needs a query (or --saved NAME).');
      const archive = openExisting(dir);
      try {
        bringIndexUpToDate(archive, o, values.json);
        const saved = values.saved ? getSavedSearch(archive, values.saved) : null;
        const query = saved ? [saved.query, ...args].join(' ') : args.join(' ');
        const result = search(archive, { query, offset, limit, sort: values.sort ? sort : (saved?.sort ?? sort), facets: true });
        const tty = process.stdout.isTTY === true;
        const where = (h: (typeof result.hits)[number]): string =>
          [h.page !== null ? `p. ${h.page}` : '', h.time !== null ? `at ${clock(h.time)}` : ''].filter(Boolean).join(', ');
        print(o, result, () =>
          [
            `${result.total} document${result.total === 1 ? '' : 's'} found`,
            ...result.hits.map(
              (h) =>
                `\n${h.id}  ${h.title}  (${h.kind}, ${h.language}${h.date ? `, ${h.date}` : ''}${h.file ? `, ${h.file}` : ''})${where(h) ? `  ${where(h)}` : ''}\n  ${highlight(h.snippet, h.highlights, tty)}`,
            ),
            ...(result.suggestions.length > 0 ? [`Did you mean: ${result.suggestions.join(' ')}?`] : []),
          ].join('\n'),
        );
        return 0;
      } finally {
        archive.close();
      }
    }
    case 'saved': {
      const [action = 'list', name, ...rest] = args;
      const archive = openExisting(dir);
      try {
        if (action === 'list') {
          const saved = listSavedSearches(archive);
          print(o, saved, () => (saved.length === 0 ? 'No saved searches.' : saved.map((s) => `${s.name}\t${s.query}\t(${s.sort})`).join('\n')));
          return 0;
        }
        if (!name) throw new UsageError(`saved ${action} needs a name.`);
        if (action === 'save') {
          const query = rest.join(' ');
          if (!query.trim()) throw new UsageError('saved save needs a name and a query.');
          const saved = saveSearch(archive, name, query, sortFlag(values.sort));
          print(o, saved, () => `Saved "${saved.name}": ${saved.query}`);
          return 0;
        }
        if (action === 'delete') {
          const result = deleteSavedSearch(archive, name);
          print(o, result, () => (result.deleted ? `Deleted "${name}".` : `There was no saved search named "${name}".`));
          return result.deleted ? 0 : 1;
        }
        throw new UsageError(`saved knows list, save and delete, not "${action}".`);
      } finally {
        archive.close();
      }
    }
    case 'reindex': {
      const archive = openExisting(dir);
      try {
        startRebuild(archive);
        const state = bringIndexUpToDate(archive, o, values.json);
        print(o, { documents: state.total, analyzerVersion: state.version }, () => `Re-indexed ${state.total} documents.`);
        return 0;
      } finally {
        archive.close();
      }
    }
    case 'show': {
      const [id] = args;
      if (!id) throw new UsageError('show needs a document id.');
      const archive = openExisting(dir);
      try {
        const doc = getDocument(archive, id);
        print(o, doc, () =>
          [
            doc.title,
            `id:          ${doc.id}`,
            `kind:        ${doc.kind}`,
            `language:    ${doc.language}`,
            `date:        ${doc.date ?? '-'}${doc.dateApproximate ? ' (approximate)' : ''}`,
            `authors:     ${doc.authors.join(', ') || '-'}`,
            `recipients:  ${doc.recipients.join(', ') || '-'}`,
            `sensitivity: ${doc.sensitivity}`,
            `tags:        ${doc.tags.join(', ') || '-'}`,
            ...(doc.translationOf ? [`translation of ${doc.translationOf}`] : []),
            ...doc.translations.map((t) => `translation: ${t.language} ${t.id} ${t.title}`),
            ...doc.files.map((f) => `original:    ${f.fileName} (${f.size} bytes, sha256 ${f.sha256})`),
            '',
            doc.text,
          ].join('\n'),
        );
        return 0;
      } finally {
        archive.close();
      }
    }
    case 'verify': {
      const archive = openExisting(dir);
      try {
        const report = await verifyArchive(archive);
        print(o, report, () =>
          report.ok
            ? `OK: ${report.blobsChecked} originals re-hashed, ${report.auditEntriesChecked} audit entries chained.`
            : [`PROBLEMS FOUND in ${archive.root}:`, ...report.problems.map((p) => `  ${p.kind}  ${p.subject}: ${p.message}`)].join('\n'),
        );
        return report.ok ? 0 : 1;
      } finally {
        archive.close();
      }
    }
    case 'serve': {
      const [{ createService }, { ArchiveSession }, { startServer }, { findTessdata }, { JsonFileSettingsStore }] = await Promise.all([
        import('../core/api.ts'),
        import('../core/session.ts'),
        import('../server/server.ts'),
        import('../core/ocr.ts'),
        import('../core/settings.ts'),
      ]);
      const facts = platformFacts();
      const session = new ArchiveSession(
        values.sample ? Archive.openOrCreate(sampleArchiveDir(facts)) : Archive.openOrCreate(dir),
        { sampleArchiveDir: sampleArchiveDir(facts), sampleSourceDir, bundles: await bundleEnvironment(packageRoot) },
        {},
        { tessdata: findTessdata(process.env) },
        // The desktop app's own settings file, so both remember the same archives and language.
        new JsonFileSettingsStore(values.settings ?? settingsFile(facts)),
      );
      if (values.sample) await session.openSample();
      const server = await startServer({ service: createService(session), rendererDir, port: intFlag(values.port, 'port', 0) });
      print(o, { url: server.url, archive: session.archive.root }, () => `Kartoteka web mode: ${server.url}\nArchive: ${session.archive.root}\nPress Ctrl+C to stop.`);
      await new Promise<void>((resolve) => {
        const stop = (): void => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
      await session.close();
      return 0;
    }
    // Bundles (issue 6)
    case 'export':
    case 'import-bundle': {
      const context = { dir, args, values, json: values.json, out: o.out, err: o.err, usage: (message: string) => new UsageError(message), openExisting, packageRoot };
      return command === 'export' ? exportCommand(context) : importBundleCommand(context);
    }
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
}

/** Runs the CLI; returns the exit status instead of exiting, so tests can call it in-process. */
export async function main(
  argv: string[],
  io: { out: (text: string) => void; err: (text: string) => void } = { out: (t) => console.log(t), err: (t) => console.error(t) },
): Promise<number> {
  const json = argv.includes('--json');
  const o: Output = { json, ...io };
  try {
    return await run(argv, o);
  } catch (error) {
    const usageError = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    const envelope = usageError ? { code: 'INVALID_REQUEST', message: (error as Error).message } : toEnvelope(error);
    if (json) o.out(JSON.stringify({ error: envelope }, null, 2));
    else o.err(`kartoteka: ${envelope.message}${usageError ? `\n\n${usage}` : ''}`);
    return usageError ? 2 : 1;
  }
}
