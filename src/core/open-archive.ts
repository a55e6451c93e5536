import { constants, accessSync, existsSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { KartotekaError } from '../shared/errors.ts';
import { Archive, type ArchiveOptions, CATALOGUE_FILE } from './archive.ts';

const canAccess = (path: string, mode: number): boolean => {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
};

/** A refusal of the file system (or of SQLite on a read-only file) as PERMISSION_DENIED; anything else unchanged. */
function asPermissionError(error: unknown, root: string): unknown {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : '';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || /readonly|read-only|unable to open database/iu.test(message)) {
    return new KartotekaError('PERMISSION_DENIED', `Kartoteka may not write in ${root}: ${message || String(code)}`, { path: root });
  }
  return error;
}

/**
 * The archive a person chose by its path in the app: an existing one (create false) or a new, empty
 * one (create true). Each way it can go wrong has its own code, so the UI can say what to do:
 * FILE_NOT_FOUND (no such folder; for a new archive, no folder to put it in), NOT_AN_ARCHIVE
 * (something else is there), PERMISSION_DENIED (it cannot be read or written: an archive is written
 * to as soon as it is open), ARCHIVE_EXISTS (a new archive where there is one, or a folder with
 * files in it), ARCHIVE_NEWER. Choosing the catalogue file itself means its folder.
 */
export function openArchiveAt(path: string, create: boolean, options: ArchiveOptions = {}): Archive {
  if (!isAbsolute(path)) {
    throw new KartotekaError('INVALID_REQUEST', `An archive is named by its folder's full path (such as /home/anna/archive or D:\\archive); "${path}" is not one.`);
  }
  let root = resolve(path);
  const found = statSync(root, { throwIfNoEntry: false });
  if (!create && found?.isFile() && basename(root) === CATALOGUE_FILE) root = dirname(root);
  return create ? createAt(root) : openAt(root);

  function openAt(dir: string): Archive {
    const stat = statSync(dir, { throwIfNoEntry: false });
    if (!stat) throw new KartotekaError('FILE_NOT_FOUND', `There is no folder ${dir}: it was moved or renamed, or is on a drive that is not plugged in.`, { path: dir });
    if (!stat.isDirectory()) throw new KartotekaError('NOT_AN_ARCHIVE', `${dir} is a file, not an archive's folder.`, { path: dir });
    if (!canAccess(dir, constants.R_OK | constants.X_OK)) throw new KartotekaError('PERMISSION_DENIED', `Kartoteka may not read the folder ${dir}.`, { path: dir });
    const notOurs = (): KartotekaError =>
      new KartotekaError('NOT_AN_ARCHIVE', `${dir} is not a Kartoteka archive (it has no ${CATALOGUE_FILE} of ours). Choose the archive's own folder, or create a new archive.`, { path: dir });
    const catalogue = resolve(dir, CATALOGUE_FILE);
    if (!existsSync(catalogue)) throw notOurs();
    // Before reading the catalogue: SQLite cannot even read a WAL catalogue in a folder it may not write to.
    if (!canAccess(dir, constants.W_OK) || !canAccess(catalogue, constants.R_OK | constants.W_OK)) {
      throw new KartotekaError('PERMISSION_DENIED', `Kartoteka may not write in ${dir}. An open archive is written to (its catalogue, its audit log): copy it to a writable disk, or change the folder's permissions.`, { path: dir });
    }
    if (!Archive.isArchive(dir)) throw notOurs();
    try {
      return Archive.open(dir, options);
    } catch (error) {
      throw asPermissionError(error, dir);
    }
  }

  function createAt(dir: string): Archive {
    if (Archive.isArchive(dir)) throw new KartotekaError('ARCHIVE_EXISTS', `There is already an archive in ${dir}; open it instead.`, { path: dir, archive: true });
    const stat = statSync(dir, { throwIfNoEntry: false });
    const parent = dirname(dir);
    if (stat) {
      if (!stat.isDirectory()) throw new KartotekaError('NOT_AN_ARCHIVE', `${dir} is a file; a new archive needs a folder of its own.`, { path: dir });
      if (!canAccess(dir, constants.W_OK | constants.X_OK)) throw new KartotekaError('PERMISSION_DENIED', `Kartoteka may not write in ${dir}.`, { path: dir });
    } else {
      const parentStat = statSync(parent, { throwIfNoEntry: false });
      if (!parentStat?.isDirectory()) {
        throw new KartotekaError('FILE_NOT_FOUND', `There is no folder ${parent} to make the new archive in; choose a folder that exists.`, { path: parent });
      }
      if (!canAccess(parent, constants.W_OK | constants.X_OK)) {
        throw new KartotekaError('PERMISSION_DENIED', `Kartoteka may not make a folder in ${parent}.`, { path: parent });
      }
    }
    try {
      return Archive.create(dir, options);
    } catch (error) {
      throw asPermissionError(error, dir);
    }
  }
}
