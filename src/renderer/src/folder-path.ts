/**
 * The folder a directory picker chose, as a path on disk: under Electron the preload says where a
 * picked file lives (window.kartotekaFiles, declared in upload.ts), and the file's path inside the
 * chosen folder tells how much of that path is the folder. null in the web mode (a page never sees
 * paths) and for a folder with no files (the picker then lists nothing to go by).
 */
export function pickedFolderPath(files: readonly File[]): string | null {
  const bridge = window.kartotekaFiles;
  const file = files[0];
  if (!bridge || !file) return null;
  const full = bridge.pathOf(file);
  // "Archive/blobs/sha256/ab/cd/…": always with "/", while the path on disk may use "\".
  const relative = file.webkitRelativePath;
  const top = relative.split('/')[0];
  if (!full || !relative || !top || full.length <= relative.length) return null;
  return full.slice(0, full.length - relative.length) + top;
}
