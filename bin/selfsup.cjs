#!/usr/bin/env node
// The `selfsup` command: runs the TypeScript CLI through tsx's require hook.
require('tsx/cjs');
require('../src/cli.ts')
  .main(process.argv.slice(2))
  .then((code) => process.exit(code));
