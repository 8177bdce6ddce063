/** Environment for launched programs: only named variables pass, never the whole of process.env. */

/** What a VPN client needs: where programs are, who the user is, the language, and the session bus. */
export const VPN_ENV_ALLOW_LIST: readonly string[] = Object.freeze([
  'PATH',
  'HOME',
  'LANG',
  'USER',
  'LOGNAME',
  'XDG_RUNTIME_DIR',
  'DISPLAY',
  'WAYLAND_DISPLAY',
  'DBUS_SESSION_BUS_ADDRESS',
]);

/**
 * The system opener also needs to know the desktop (xdg-open picks gio/kde-open/… from it and
 * finds URL-scheme handlers through the XDG directories), and on Windows where the system lives.
 */
export const OPENER_ENV_ALLOW_LIST: readonly string[] = Object.freeze([
  ...VPN_ENV_ALLOW_LIST,
  'XDG_CURRENT_DESKTOP',
  'XDG_SESSION_TYPE',
  'XDG_SESSION_DESKTOP',
  'DESKTOP_SESSION',
  'XDG_DATA_HOME',
  'XDG_DATA_DIRS',
  'XDG_CONFIG_HOME',
  'XDG_CONFIG_DIRS',
  'SystemRoot',
  'windir',
]);

export function pickEnv(source: NodeJS.ProcessEnv, allowList: readonly string[]): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const name of allowList) {
    const value = source[name];
    if (typeof value === 'string' && !value.includes('\0')) out[name] = value;
  }
  return out;
}
