import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { channelOf, methods } from '../shared/contract.ts';

/**
 * The only file that touches ipcRenderer. window.kartoteka has one function per contract method;
 * each returns the Result envelope from main unchanged.
 */
const bridge = Object.fromEntries(
  methods.map((method) => [method, (request: unknown): Promise<unknown> => ipcRenderer.invoke(channelOf(method), request)]),
);

contextBridge.exposeInMainWorld('kartoteka', bridge);

/** Where a dropped or picked file lives on disk, so large folders import from disk, not through memory. */
contextBridge.exposeInMainWorld('kartotekaFiles', {
  pathOf: (file: File): string => webUtils.getPathForFile(file),
});
