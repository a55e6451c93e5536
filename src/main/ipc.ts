import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { type Service, dispatch } from '../core/api.ts';
import { channelOf, MenuCommand, menuChannel, methods } from '../shared/contract.ts';
import { err } from '../shared/errors.ts';

/**
 * The only file that registers IPC handlers: one per contract method, each a one-liner into
 * core's dispatch, after checking that the call comes from our own renderer's main frame.
 */
export function registerApi(service: Service, isTrustedFrame: (url: string) => boolean): void {
  for (const method of methods) {
    ipcMain.handle(channelOf(method), (event: IpcMainInvokeEvent, payload: unknown) => {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null || !isTrustedFrame(frame.url)) {
        return err('FORBIDDEN', 'This call did not come from the Kartoteka window.');
      }
      return dispatch(service, method, payload);
    });
  }
}

/** The other way: a command from the app's menus (app-menu.ts) to a window, checked against the contract. */
export function sendMenuCommand(contents: Pick<WebContents, 'send'>, command: MenuCommand): void {
  contents.send(menuChannel, MenuCommand.parse(command));
}
