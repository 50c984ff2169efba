// npm run docs: writes docs/codes.md (the message catalogue) and the options part of schemas/ruleset.schema.json
// (the rules' own option declarations). Tests fail until both are regenerated after a change.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { codesMarkdown, rulesetSchema } from './docs.ts';

const root = resolve(import.meta.dirname, '..');
writeFileSync(resolve(root, 'docs/codes.md'), codesMarkdown());
const schemaFile = resolve(root, 'schemas/ruleset.schema.json');
writeFileSync(schemaFile, JSON.stringify(rulesetSchema(JSON.parse(readFileSync(schemaFile, 'utf8'))), null, 2) + '\n');
console.log('wrote docs/codes.md and schemas/ruleset.schema.json (options)');
