// Whether ssh2's native crypto addon (sshcrypto.node, built on install: package.json allowScripts) loads
// here as it loads in the app, so every benchmark's numbers say which crypto a fresh install runs.
import { requireHere } from './bundle.mjs';

export function ssh2NativeCrypto() {
  return Boolean(requireHere('ssh2/lib/protocol/crypto.js').bindingAvailable);
}

/** One line for a benchmark's header, e.g. "ssh2 1.17.0, native crypto addon: loaded". */
export function ssh2AddonLine(usedHere = true) {
  const version = requireHere('ssh2/package.json').version;
  const state = ssh2NativeCrypto() ? 'loaded' : 'NOT loaded (node:crypto only)';
  return `ssh2 ${version}, native crypto addon: ${state}${usedHere ? '' : ' (this benchmark makes no SSH connection)'}`;
}
