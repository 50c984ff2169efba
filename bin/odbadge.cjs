#!/usr/bin/env node
// The installed package's entry point. Plain ES5 in a CommonJS file on purpose: every Node that can start this
// file must be able to parse it, so that on a Node too old for odbadge (node:sqlite, type stripping, modern syntax)
// the user reads one line saying so instead of a stack trace. The real CLI is loaded only after the check, from a
// second file, because `import()` is newer syntax than the oldest Node we want to answer politely.
'use strict';

var MIN_MAJOR = 22;
var MIN_MINOR = 18;

var version = process.versions && process.versions.node ? String(process.versions.node) : '0.0.0';
var parts = version.split('.');
var major = parseInt(parts[0], 10) || 0;
var minor = parseInt(parts[1], 10) || 0;

if (major < MIN_MAJOR || (major === MIN_MAJOR && minor < MIN_MINOR)) {
  process.stderr.write('odbadge needs Node.js \u2265 ' + MIN_MAJOR + '.' + MIN_MINOR + ' (this is ' + version + ')\n');
  process.exit(2);
}

require('./odbadge-start.cjs');
