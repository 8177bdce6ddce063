/** The one Switchboard window. */
import { BrowserWindow, nativeTheme } from 'electron';
import { APP_ENTRY_URL, LOCKED_DOWN_WEB_PREFERENCES } from './policy';

// Matches the renderer's page background so the window never flashes the wrong colour before paint.
const backgroundColor = () => (nativeTheme.shouldUseDarkColors ? '#242424' : '#ffffff');

export function createMainWindow(preloadPath: string): BrowserWindow {
  const win = new BrowserWindow({
    title: 'Switchboard',
    width: 1280,
    height: 820,
    minWidth: 880,
    minHeight: 560,
    show: false,
    backgroundColor: backgroundColor(),
    webPreferences: { preload: preloadPath, ...LOCKED_DOWN_WEB_PREFERENCES },
  });

  const followTheme = () => win.setBackgroundColor(backgroundColor());
  nativeTheme.on('updated', followTheme);
  win.on('closed', () => nativeTheme.off('updated', followTheme));
  win.once('ready-to-show', () => win.show());

  void win.loadURL(APP_ENTRY_URL);
  return win;
}
