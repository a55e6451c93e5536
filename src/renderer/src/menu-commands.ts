import { useEffect, useRef } from 'react';
import type { MenuCommand } from '../../shared/contract.ts';

declare global {
  interface Window {
    /** Present under Electron: the commands of the app's native menus (src/preload). */
    kartotekaMenu?: { onCommand(listener: (command: MenuCommand) => void): () => void };
  }
}

type Name = MenuCommand['command'];
/** The command of that name, with what it carries (import: the paths). */
export type CommandOf<N extends Name> = MenuCommand extends infer C ? (C extends { command: infer K } ? (N extends K ? C & { command: N } : never) : never) : never;

/**
 * Runs the handler when the desktop app's menu sends that command; never in the web mode, which
 * has no menus. While a modal dialog is open a command is dropped, as the keyboard shortcuts are,
 * except an import: its files were already chosen in the menu's own dialog.
 */
export function useMenuCommand<N extends Name>(name: N, handler: (command: CommandOf<N>) => void): void {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    const menu = window.kartotekaMenu;
    if (!menu) return undefined;
    return menu.onCommand((command) => {
      if (command.command !== name) return;
      if (command.command !== 'import' && document.querySelector('dialog[open]')) return;
      latest.current(command as CommandOf<N>);
    });
  }, [name]);
}
