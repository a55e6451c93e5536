import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BundleProgress, BundleSelection, ExportReport, BundleInspection, BundleImportReport } from '../shared/bundles.ts';
import { BundleOptions, StrippableField } from '../shared/bundles.ts';
import { Sensitivity } from '../shared/document.ts';
import { KartotekaError } from '../shared/errors.ts';
import type { Archive } from '../core/archive.ts';
import type { BundleEnvironment } from '../core/bundles/service.ts';
import { createProgressReporter } from './progress.ts';

/** `kartoteka export` and `kartoteka import-bundle` (issue 6). */

export const bundleUsage = `  export <out.zip>          write a bundle (a BagIt zip with a viewer) of one of: --all, --query Q,
                            --ids ID,ID, --person NAME, --case TITLE; [--text-only] [--no-translations]
                            [--include-sensitivity public,internal] [--strip notes,source,tags]
                            [--encrypt] (writes <out.zip>.age; passphrase from $KARTOTEKA_PASSPHRASE or asked)
                            [--organization NAME] [--description TEXT]
  import-bundle <file>      verify a bundle and import it; [--dry-run] shows what would be added;
                            [--max-unpacked-mb N]; the passphrase of an encrypted one as for export`;

/** The flags these commands read (parseArgs in kartoteka.ts declares them). */
export const bundleFlags = {
  all: { type: 'boolean', default: false },
  query: { type: 'string' },
  ids: { type: 'string' },
  person: { type: 'string' },
  case: { type: 'string' },
  'text-only': { type: 'boolean', default: false },
  'no-translations': { type: 'boolean', default: false },
  'include-sensitivity': { type: 'string' },
  strip: { type: 'string' },
  encrypt: { type: 'boolean', default: false },
  organization: { type: 'string' },
  description: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  'max-unpacked-mb': { type: 'string' },
} as const;

export interface BundleFlagValues {
  all?: boolean | undefined;
  query?: string | undefined;
  ids?: string | undefined;
  person?: string | undefined;
  case?: string | undefined;
  'text-only'?: boolean | undefined;
  'no-translations'?: boolean | undefined;
  'include-sensitivity'?: string | undefined;
  strip?: string | undefined;
  encrypt?: boolean | undefined;
  organization?: string | undefined;
  description?: string | undefined;
  'dry-run'?: boolean | undefined;
  'max-unpacked-mb'?: string | undefined;
}

export interface BundleCommandContext {
  dir: string;
  args: string[];
  values: BundleFlagValues;
  json: boolean;
  out: (text: string) => void;
  err: (text: string) => void;
  /** A usage error (exit status 2) with this message. */
  usage: (message: string) => Error;
  openExisting: (dir: string) => Archive;
  packageRoot: string;
}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');

/** Reads a line from the terminal without showing it. */
function askHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  return new Promise((resolvePassphrase, reject) => {
    process.stderr.write(prompt);
    let typed = '';
    input.setRawMode(true);
    input.resume();
    const done = (error?: Error): void => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolvePassphrase(typed);
    };
    const onData = (chunk: Buffer): void => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new KartotekaError('CANCELLED', 'Cancelled.'));
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else if (char >= ' ') typed += char;
      }
    };
    input.on('data', onData);
  });
}

/** $KARTOTEKA_PASSPHRASE, else asked on the terminal (twice when it is a new one), else an error. */
async function passphrase(confirm: boolean): Promise<string> {
  const fromEnv = process.env['KARTOTEKA_PASSPHRASE'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) throw new KartotekaError('PASSPHRASE_REQUIRED', 'Give the passphrase in $KARTOTEKA_PASSPHRASE, or run this on a terminal to be asked for it.');
  const first = await askHidden('Passphrase: ');
  if (first === '') throw new KartotekaError('PASSPHRASE_REQUIRED', 'An empty passphrase protects nothing.');
  if (confirm && (await askHidden('Passphrase again: ')) !== first) throw new KartotekaError('PASSPHRASE_REQUIRED', 'The two passphrases differ; nothing was written.');
  return first;
}

function progressBar(ctx: BundleCommandContext, unit: string): { update(p: BundleProgress): void; finish(): void } | undefined {
  if (ctx.json) return undefined;
  const bar = createProgressReporter(process.stderr.isTTY ? process.stderr : { isTTY: false, write: (text) => ctx.err(text.trimEnd()) }, unit);
  const started = Date.now();
  let last = '';
  return {
    update(p) {
      if (p.phase !== last && !process.stderr.isTTY && ['indexing', 'finishing', 'decrypting', 'encrypting', 'merging'].includes(p.phase)) ctx.err(`${p.phase}…`);
      last = p.phase;
      if (p.total === 0) return;
      const seconds = (Date.now() - started) / 1000;
      const rate = seconds > 0 ? Math.round(p.done / seconds) : 0;
      bar.update({
        phase: p.phase === 'finished' ? 'finished' : 'importing',
        total: p.total,
        done: p.done,
        imported: p.done,
        duplicates: 0,
        possibleDuplicates: 0,
        failed: 0,
        filesPerSecond: rate,
        secondsLeft: rate > 0 ? Math.round((p.total - p.done) / rate) : null,
        currentFile: null,
      });
    },
    finish: () => bar.finish(),
  };
}

function selectionOf(ctx: BundleCommandContext): BundleSelection {
  const v = ctx.values;
  const chosen: BundleSelection[] = [];
  if (v.all) chosen.push({ type: 'all' });
  if (v.query !== undefined) chosen.push({ type: 'search', query: v.query });
  if (v.ids !== undefined) chosen.push({ type: 'ids', ids: list(v.ids) });
  if (v.person !== undefined) chosen.push({ type: 'person', name: v.person });
  if (v.case !== undefined) chosen.push({ type: 'case', title: v.case });
  if (chosen.length !== 1) throw ctx.usage('export needs exactly one of --all, --query Q, --ids ID,ID, --person NAME, --case TITLE.');
  return chosen[0] as BundleSelection;
}

const mb = (bytes: number): string => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

export async function exportCommand(ctx: BundleCommandContext): Promise<number> {
  const [out] = ctx.args;
  if (!out || ctx.args.length > 1) throw ctx.usage('export needs one output file: kartoteka export OUT.zip --all');
  const selection = selectionOf(ctx);
  const v = ctx.values;
  const sensitivities = v['include-sensitivity'] === undefined ? undefined : list(v['include-sensitivity']);
  for (const s of sensitivities ?? []) if (!Sensitivity.safeParse(s).success) throw ctx.usage(`--include-sensitivity takes public, internal, confidential; not "${s}".`);
  const strip = list(v.strip);
  for (const s of strip) if (!StrippableField.safeParse(s).success) throw ctx.usage(`--strip takes notes, source, tags; not "${s}".`);
  // An encrypted bundle is an age file: say so in its name, so nobody tries to unzip it.
  const path = resolve(v.encrypt && !/\.age$/iu.test(out) ? `${out}.age` : out);
  const options = BundleOptions.parse({
    originals: !v['text-only'],
    translations: !v['no-translations'],
    ...(sensitivities ? { sensitivities } : {}),
    strip,
    encrypt: v.encrypt ? { passphrase: await passphrase(true) } : null,
    ...(v.organization !== undefined ? { organization: v.organization } : {}),
    ...(v.description !== undefined ? { description: v.description } : {}),
  });
  const version = packageVersion(ctx.packageRoot);
  const archive = ctx.openExisting(ctx.dir);
  const [{ exportBundle }, { ensureViewer }] = await Promise.all([import('../core/bundles/export.ts'), import('../../scripts/build-viewer.ts')]);
  const bar = progressBar(ctx, 'items');
  try {
    const viewerScript = readFileSync(await ensureViewer(), 'utf8');
    const report: ExportReport = await exportBundle(archive, { selection, options, path }, { viewerScript, producer: `Kartoteka ${version}`, version, onProgress: (p) => bar?.update(p) });
    bar?.finish();
    if (ctx.json) ctx.out(JSON.stringify(report, null, 2));
    else {
      const lines = [
        `Wrote ${report.path} (${mb(report.bytes)}${report.encrypted ? ', encrypted with age' : ''}): ${report.items} item${report.items === 1 ? '' : 's'}, ${report.originals} original file${report.originals === 1 ? '' : 's'}.`,
        ...(report.leftOutBySensitivity > 0 ? [`Left out for their sensitivity: ${report.leftOutBySensitivity}.`] : []),
        ...(report.leftOutTranslations > 0 ? [`Translations left out: ${report.leftOutTranslations}.`] : []),
        ...report.redacted.map((r) => `redacted  ${r.id}  ${r.title}: ${r.spans} span${r.spans === 1 ? '' : 's'} blacked out${r.originalsLeftOut.length > 0 ? `; original left out (${r.originalsLeftOut.join(', ')})` : ''}`),
        ...report.warnings.map((w) => `warning  ${w}`),
        `SHA-256 ${report.sha256}`,
      ];
      ctx.out(lines.join('\n'));
    }
    return 0;
  } finally {
    archive.close();
  }
}

/** What the web mode's exports need: the viewer (built from the sources when missing or stale) and the version. */
export async function bundleEnvironment(packageRoot: string): Promise<BundleEnvironment | undefined> {
  try {
    const { ensureViewer } = await import('../../scripts/build-viewer.ts');
    return { viewerScriptPath: await ensureViewer(), version: packageVersion(packageRoot), home: homedir() };
  } catch (error) {
    console.error(`Bundles cannot be exported in this session: the viewer could not be built (${(error as Error).message}).`);
    return undefined;
  }
}

const packageVersion = (packageRoot: string): string => (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;

function describePlan(report: BundleInspection, dryRun: boolean): string {
  const info = (label: string): string => report.bagInfo.find((l) => l.label === label)?.value ?? '-';
  const verb = { add: dryRun ? 'would add' : 'added', duplicate: 'duplicate', unchanged: 'unchanged', conflict: dryRun ? 'would conflict' : 'conflict' };
  return [
    `Bundle: ${info('External-Description')}`,
    `From: ${info('Source-Organization')}, bagged ${info('Bagging-Date')} by ${info('Bag-Software-Agent')}${report.encrypted ? ' (encrypted)' : ''}`,
    `Verified: ${report.payloadFiles} files, ${mb(report.payloadBytes)}, every checksum and the Payload-Oxum match.`,
    ...report.items.map((i) => `${verb[i.action].padEnd(14)} ${i.bundleId}  ${i.title}${i.existingId && i.existingId !== i.bundleId ? `  (archive: ${i.existingId})` : ''}`),
    ...report.warnings.map((w) => `warning  ${w}`),
    `${report.counts.add} ${dryRun ? 'to add' : 'added'}, ${report.counts.duplicate} duplicates, ${report.counts.unchanged} unchanged, ${report.counts.conflict} conflicts${report.counts.conflict > 0 ? ' (kept both; the new ones are tagged bundle-conflict)' : ''}${dryRun ? '. Nothing was changed (--dry-run).' : '.'}`,
  ].join('\n');
}

export async function importBundleCommand(ctx: BundleCommandContext): Promise<number> {
  const [file] = ctx.args;
  if (!file || ctx.args.length > 1) throw ctx.usage('import-bundle needs one bundle file.');
  const maxMb = ctx.values['max-unpacked-mb'];
  if (maxMb !== undefined && !/^\d+$/u.test(maxMb)) throw ctx.usage(`--max-unpacked-mb must be a whole number, not "${maxMb}".`);
  const path = resolve(file);
  const archive = ctx.openExisting(ctx.dir);
  const [{ importBundle, inspectBundle }, { isAgeFile }] = await Promise.all([import('../core/bundles/import.ts'), import('../core/bundles/age.ts')]);
  const bar = progressBar(ctx, 'files');
  try {
    let encrypted = false;
    try {
      encrypted = isAgeFile(path);
    } catch {
      // Not readable: importBundle says why, with its own error.
    }
    const options = {
      passphrase: encrypted ? await passphrase(false) : undefined,
      limits: maxMb === undefined ? undefined : { maxUnpackedBytes: Number(maxMb) * 1024 * 1024 },
      onProgress: (p: BundleProgress) => bar?.update(p),
    };
    const dryRun = ctx.values['dry-run'] === true;
    const report: BundleInspection | BundleImportReport = dryRun ? await inspectBundle(archive, path, options) : await importBundle(archive, path, options);
    bar?.finish();
    ctx.out(ctx.json ? JSON.stringify(report, null, 2) : describePlan(report, dryRun));
    return 0;
  } finally {
    archive.close();
  }
}
