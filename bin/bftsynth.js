#!/usr/bin/env node
'use strict';
// Thin launcher: the compiled CLI lives in dist/ (built by `npm install` via the prepare script).
require('../dist/src/cli/main.js').main(process.argv.slice(2));
