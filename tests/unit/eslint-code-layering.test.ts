import path from 'node:path';
import { ESLint, RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import local from '../../tools/eslint-plugin-local/index.mjs';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const projectRoot = path.resolve(import.meta.dirname, '../..');
const options = [{ root: projectRoot }];
const at = (file: string) => path.join(projectRoot, file);

const RENDERER = at('renderer/src/App.tsx');
const CORE = at('main/core/service.ts');
const PRELOAD = at('preload/index.ts');
const CONTRACT = at('contract/api.ts');

const ruleTester = new RuleTester({ languageOptions: { parser: tseslint.parser } });

const invalid = (filename: string, code: string, message: RegExp) => ({
  filename,
  code,
  options,
  errors: [{ message }],
});

ruleTester.run('local/code-layering', local.rules['code-layering'], {
  valid: [
    { filename: RENDERER, code: "import { api } from '../../contract/api';" },
    { filename: RENDERER, code: "import { useState } from 'react';\nimport { Button } from '@mantine/core';" },
    { filename: RENDERER, code: "const name = 'fs';\nfoo.require('fs');" },
    { filename: CORE, code: "import fs from 'node:fs';\nimport Database from 'better-sqlite3';\nimport { z } from '../../contract/api';" },
    { filename: at('main/electron/window.ts'), code: "import { BrowserWindow } from 'electron';\nimport { openCore } from '../core';" },
    { filename: at('main/web/server.ts'), code: "import { openCore, type Core } from '../core/index';\nimport { linkTerminal } from '../core/index.ts';" },
    { filename: at('main/cli/commands/sites.ts'), code: "import { UsageError } from '../errors';\nimport type { Core } from '../../core';" },
    { filename: CORE, code: "import { SessionLog } from './session-log/session-log';\nimport { openDatabase } from './store/database';" },
    { filename: PRELOAD, code: "import { contextBridge } from 'electron';\nimport type { Api } from '../contract/api';" },
    { filename: CONTRACT, code: "import { z } from 'zod';" },
    {
      filename: at('tests/unit/anything.test.ts'),
      code: [
        "import { app } from 'electron';",
        "import fs from 'node:fs';",
        "import { Store } from '../../main/core/store';",
        "import { App } from '../../renderer/src/App';",
        "const keytar = require('keytar');",
      ].join('\n'),
    },
  ].map((test) => ({ ...test, options })),
  invalid: [
    invalid(
      RENDERER,
      "import { Store } from '../../main/core/store';",
      /^renderer code must not import main\/core internals \('\.\.\/\.\.\/main\/core\/store'\): the window talks to main only through the API contract$/,
    ),
    invalid(
      RENDERER,
      "import fs from 'fs';",
      /^renderer code must not import Node built-in 'fs': the window has no Node; call the API contract instead$/,
    ),
    invalid(RENDERER, "const cp = await import('node:child_process');", /Node built-in 'node:child_process'/),
    invalid(RENDERER, "export { readFile } from 'fs/promises';", /Node built-in 'fs\/promises'/),
    invalid(RENDERER, "import { ipcRenderer } from 'electron';", /^renderer code must not import 'electron': the window has no Electron/),
    invalid(RENDERER, "const Database = require('better-sqlite3');", /Node-only package 'better-sqlite3': the window has no Node/),
    invalid(RENDERER, "export * from '../../preload/index';", /^renderer code must not import preload/),
    invalid(CORE, "import { app } from 'electron';", /^main\/core code must not import 'electron': core runs under plain Node/),
    invalid(
      CORE,
      "import { createWindow } from '../electron/window';",
      /^main\/core code must not import main\/electron \('\.\.\/electron\/window'\): adapters depend on core/,
    ),
    invalid(PRELOAD, "import { Store } from '../main/core/store';", /^preload code must not import main\/core/),
    invalid(
      at('main/cli/commands/sites.ts'),
      "import { getSite } from '../../core/directory/sites';",
      /^main\/cli code must not import main\/core internals \('\.\.\/\.\.\/core\/directory\/sites'\): shells reach the core only through its door, main\/core\/index\.ts/,
    ),
    invalid(at('main/web/terminal-socket.ts'), "import type { TerminalSessions } from '../core/sessions/terminal-sessions';", /^main\/web code must not import main\/core internals/),
    invalid(at('main/electron/main.ts'), "export { openCore } from '../core/wiring';", /^main\/electron code must not import main\/core internals/),
    invalid(at('main/electron/ipc.ts'), "const db = require('../core/store/database');", /^main\/electron code must not import main\/core internals/),
    invalid(at('main/web/server.ts'), "import { reportError } from '../cli/errors';", /^main\/web code must not import main\/cli \('\.\.\/cli\/errors'\): each shell is a thin adapter of its own/),
    invalid(at('main/cli/main.ts'), "import { startWebHost } from '../web/server';", /^main\/cli code must not import main\/web/),
    invalid(at('main/electron/main.ts'), "import { parse } from '../cli/main';", /^main\/electron code must not import main\/cli/),
    invalid(RENDERER, "import type { Db } from '../../main/core/store/database';", /^renderer code must not import main\/core internals/),
    invalid(CONTRACT, "import { readFileSync } from 'node:fs';", /^contract code must not import Node built-in 'node:fs': the contract is pure TS/),
  ],
});

describe('eslint.config.mjs', () => {
  it('wires local/code-layering for renderer files', async () => {
    const eslint = new ESLint({ cwd: projectRoot });
    const [result] = await eslint.lintText("import fs from 'fs';\nexport const size = fs.statSync('x').size;\n", {
      filePath: at('renderer/src/probe.ts'),
    });
    const layering = result?.messages.filter((m) => m.ruleId === 'local/code-layering') ?? [];
    expect(layering).toHaveLength(1);
    expect(layering[0]?.severity).toBe(2);
    expect(layering[0]?.message).toContain("renderer code must not import Node built-in 'fs'");
  }, 30_000);
});
