#!/usr/bin/env node
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const cli = path.join(__dirname, '..', 'out', 'main', 'cli.cjs');
if (!fs.existsSync(cli)) {
  console.error('switchboard: the CLI is not built yet. Run `npm install` (or `npm run build`) in the Switchboard folder first.');
  process.exit(2);
}
require(cli);
