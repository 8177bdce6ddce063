/** Electron entry (bundled to out/main/electron.cjs): app lifecycle only; everything domain-shaped lives in the core. */
import path from 'node:path';
import { app, BrowserWindow, dialog } from 'electron';
import { keepServingThroughStrayErrors, openCore, resolveDataDir, type Core } from '../core';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { ElectronConsoleHost } from './console-window';
import { dataDirFlag } from './argv';
import { registerIpc } from './ipc';
import { installSecurity } from './security';
import { registerTerminalPorts } from './terminal-port';
import { createMainWindow } from './window';

// Bundle layout: out/main/electron.cjs, out/preload/index.cjs, out/renderer/index.html.
const PRELOAD_PATH = path.join(__dirname, '..', 'preload', 'index.cjs');
const RENDERER_ROOT = path.join(__dirname, '..', 'renderer');

let core: Core | null = null;
let mainWindow: BrowserWindow | null = null;

function fail(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  dialog.showErrorBox('Switchboard could not start', message);
  app.exit(1);
  process.exit(1);
}

function showWindow(): void {
  if (mainWindow === null || mainWindow.isDestroyed()) {
    mainWindow = createMainWindow(PRELOAD_PATH);
    mainWindow.on('closed', () => (mainWindow = null));
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function resolveDataDirOrFail(): string {
  try {
    // Same name in development and when packaged, so both use the same default userData folder.
    app.setName('Switchboard');
    const electronUserData = app.getPath('userData');
    const dataDir = resolveDataDir({ flag: dataDirFlag(process.argv), env: process.env, electronUserData });
    // Chromium's profile, and with it the single-instance lock, lives in userData: give a custom
    // data dir its own profile so "one instance" means one instance per database.
    if (dataDir !== resolveDataDir({ env: {}, electronUserData })) app.setPath('userData', path.join(dataDir, 'electron-profile'));
    return dataDir;
  } catch (error) {
    fail(error);
  }
}

app.enableSandbox();
registerAppScheme();
const dataDir = resolveDataDirOrFail();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (app.isReady()) showWindow();
  });

  app.whenReady().then(() => {
    installSecurity();
    serveRenderer(RENDERER_ROOT);
    const opened = openCore({ dataDir, mode: 'electron', consoleHost: new ElectronConsoleHost() });
    keepServingThroughStrayErrors();
    core = opened;
    const isAppWindow = (contents: Electron.WebContents) => mainWindow !== null && !mainWindow.isDestroyed() && mainWindow.webContents === contents;
    registerIpc(opened, isAppWindow);
    registerTerminalPorts(opened.terminals, opened.vnc, isAppWindow);
    showWindow();
    app.on('activate', showWindow);
  }).catch(fail);

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('will-quit', () => {
    core?.close();
    core = null;
  });
}
