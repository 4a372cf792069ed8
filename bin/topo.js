#!/usr/bin/env node
'use strict';
const path = require('path');
const fs = require('fs');
const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(bundle)) {
  console.error('topo: the CLI is not built yet. Run `npm run build` in ' + path.join(__dirname, '..') + ' first.');
  process.exit(2);
}
require(bundle);
