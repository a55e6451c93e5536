import { contextBridge, ipcRenderer, type IpcRendererEvent, webUtils } from 'electron';
import { channelOf, MenuCommand, menuChannel, methods } from '../shared/contract.ts';

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

/**
 * The app's menus (main's app-menu.ts): onCommand calls the listener with each command that checks
 * out against the contract, and returns what stops listening.
 */
contextBridge.exposeInMainWorld('kartotekaMenu', {
  onCommand: (listener: (command: MenuCommand) => void): (() => void) => {
    const receive = (_event: IpcRendererEvent, message: unknown): void => {
      const command = MenuCommand.safeParse(message);
      if (command.success) listener(command.data);
    };
    ipcRenderer.on(menuChannel, receive);
    return () => {
      ipcRenderer.removeListener(menuChannel, receive);
    };
  },
});
