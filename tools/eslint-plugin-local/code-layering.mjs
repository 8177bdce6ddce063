// Keeps Switchboard's layers honest: the window (renderer) and the contract
// stay free of Node/Electron, main/core stays free of Electron and adapters, and
// the adapters (shells) reach the core only through its door and never each other.
import { builtinModules } from 'node:module';
import path from 'node:path';

const NODE_ONLY_PACKAGES = ['better-sqlite3', 'keytar', 'ws', 'ssh2'];
const ADAPTERS = ['main/electron', 'main/cli', 'main/web', 'main'];
/** A file inside main/core other than its door (main/core/index.ts). */
const CORE_INTERNALS = 'main/core internals';
const CORE_DOOR = ['main/core', 'main/core/index'];
const ALL_MAIN = ['main/core', CORE_INTERNALS, ...ADAPTERS];
const THROUGH_THE_DOOR = "shells reach the core only through its door, main/core/index.ts (openCore, the services, what it re-exports)";
const SHELLS_APART = 'each shell is a thin adapter of its own; what two shells share belongs in the core';

const NO_NODE = 'the window has no Node; call the API contract instead';
const PURE_CONTRACT = 'the contract is pure TS shared by window and main, so it must not depend on either side or on Node/Electron';

/**
 * For each importing layer: [forbidden target kinds, why].
 * Kinds are layers ('renderer', 'main/core', ...) or 'builtin', 'electron', 'node-only'.
 * @type {Record<string, Array<[string[], string]>>}
 */
const FORBIDDEN = {
  contract: [[['builtin', 'electron', 'node-only', ...ALL_MAIN, 'preload', 'renderer'], PURE_CONTRACT]],
  'main/core': [
    [['electron'], 'core runs under plain Node (CLI, web host, tests); only main/electron may touch Electron'],
    [ADAPTERS, 'adapters depend on core, never the other way round'],
    [['preload', 'renderer'], 'main talks to the window only through the API contract'],
  ],
  ...Object.fromEntries(ADAPTERS.map((layer) => [layer, [
    [['preload', 'renderer'], 'main talks to the window only through the API contract'],
    [[CORE_INTERNALS], THROUGH_THE_DOOR],
    [ADAPTERS.filter((other) => other !== layer && other !== 'main'), SHELLS_APART],
  ]])),
  preload: [
    [ALL_MAIN, 'preload must only bridge the API contract over IPC; main code would be bundled into the preload'],
    [['renderer'], 'preload must only bridge the API contract over IPC'],
  ],
  renderer: [
    [[...ALL_MAIN, 'preload'], 'the window talks to main only through the API contract'],
    [['builtin', 'node-only'], NO_NODE],
    [['electron'], 'the window has no Electron; call the API contract exposed by preload instead'],
  ],
};

/** @param {string} rel path relative to the project root, '/'-separated */
function layerOf(rel) {
  const [top, sub] = rel.split('/');
  if (top === 'main') return ['core', 'electron', 'cli', 'web'].includes(sub ?? '') ? `main/${sub}` : 'main';
  return ['contract', 'preload', 'renderer'].includes(top ?? '') ? top : undefined;
}

/** @param {string} root @param {string} file */
function relativeToRoot(root, file) {
  const rel = path.relative(root, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel.split(path.sep).join('/');
}

/** @param {string} spec @param {string} name */
const isPackage = (spec, name) => spec === name || spec.startsWith(`${name}/`);

/**
 * What an import specifier points at: [kind, human-readable description].
 * @param {string} spec @param {string} importer absolute path @param {string} root
 * @returns {[string, string] | undefined}
 */
function targetOf(spec, importer, root) {
  if (spec.startsWith('.') || path.isAbsolute(spec)) {
    const rel = relativeToRoot(root, path.resolve(path.dirname(importer), spec));
    const layer = rel && layerOf(rel);
    if (layer === 'main/core' && !CORE_DOOR.includes(rel.replace(/\.[cm]?[jt]sx?$/, ''))) return [CORE_INTERNALS, `${CORE_INTERNALS} ('${spec}')`];
    return layer ? [layer, `${layer} ('${spec}')`] : undefined;
  }
  // builtinModules lists 'fs/promises' but not every subpath or 'node:'-only module (node:test).
  if (spec.startsWith('node:') || builtinModules.includes(spec) || builtinModules.includes(spec.split('/')[0] ?? '')) {
    return ['builtin', `Node built-in '${spec}'`];
  }
  if (isPackage(spec, 'electron')) return ['electron', `'${spec}'`];
  if (NODE_ONLY_PACKAGES.some((name) => isPackage(spec, name))) return ['node-only', `Node-only package '${spec}'`];
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid imports that cross Switchboard layers the wrong way' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: { layering: '{{layer}} code must not import {{target}}: {{why}}' },
  },
  create(context) {
    const root = path.resolve(context.options[0]?.root ?? context.cwd);
    const rel = relativeToRoot(root, context.filename);
    const layer = rel && layerOf(rel);
    const rules = layer ? FORBIDDEN[layer] : undefined;
    if (!layer || !rules) return {};

    /** @param {any} node the string literal holding the specifier */
    function check(node) {
      if (node?.type !== 'Literal' || typeof node.value !== 'string') return;
      const target = targetOf(node.value, context.filename, root);
      const rule = target && rules?.find(([kinds]) => kinds.includes(target[0]));
      if (target && rule) context.report({ node, messageId: 'layering', data: { layer, target: target[1], why: rule[1] } });
    }

    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node.arguments[0]);
      },
      // `import fs = require('fs')` in TypeScript
      TSExternalModuleReference: (/** @type {any} */ node) => check(node.expression),
    };
  },
};
