import os from 'node:os';
import path from 'node:path';

/** `--data-dir` wins, then SWITCHBOARD_DATA_DIR, then Electron's userData, then the XDG data dir. */
export function resolveDataDir(options: { flag?: string; env?: NodeJS.ProcessEnv; electronUserData?: string } = {}): string {
  const env = options.env ?? process.env;
  if (options.flag) return path.resolve(options.flag);
  if (env.SWITCHBOARD_DATA_DIR) return path.resolve(env.SWITCHBOARD_DATA_DIR);
  if (options.electronUserData) return options.electronUserData;
  const xdg = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(env.HOME ?? os.homedir(), '.local', 'share');
  return path.join(xdg, 'switchboard');
}

/** The folder of SSH recordings inside a data dir (owner-only, like the data dir). */
export function recordingsDir(dataDir: string): string {
  return path.join(dataDir, 'recordings');
}

/** Where a session's recording is written; the name is the session id, so a recording left by a crash still finds its session. */
export function recordingFile(dataDir: string, sessionId: string): string {
  return path.join(recordingsDir(dataDir), `${sessionId}.cast`);
}

/** Where a VNC session's recording is written (docs/recording-format.md), named by its session id like SSH's. */
export function vncRecordingFile(dataDir: string, sessionId: string): string {
  return path.join(recordingsDir(dataDir), `${sessionId}.vncrec`);
}
