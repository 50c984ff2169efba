// Loaded by odbadge.cjs once the Node version is known to be new enough: runs the built CLI (an ES module).
'use strict';

const { pathToFileURL } = require('node:url');
const { join } = require('node:path');

// Node 22 warns "SQLite is an experimental feature" on every start (Node 24 no longer does). odbadge relies on
// node:sqlite deliberately, and a warning the user can do nothing about would only clutter every command's output;
// every other warning still gets through.
const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0] && rest[0].type;
  if (type === 'ExperimentalWarning' && /^SQLite is an experimental feature/.test(String(warning))) return;
  return emitWarning.call(process, warning, ...rest);
};

import(pathToFileURL(join(__dirname, '..', 'dist', 'cli', 'main.js')).href)
  .then((cli) => cli.main(process.argv.slice(2)))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((e) => {
    // Only a broken installation gets here (main() maps its own failures to exit codes): say where it broke.
    process.stderr.write(`odbadge: cannot start: ${(e && e.stack) || e}\n`);
    process.exitCode = 70;
  });
