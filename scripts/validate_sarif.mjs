#!/usr/bin/env node
// Validates SARIF files against the SARIF 2.1.0 JSON schema (draft-04) with
// ajv. Usage: node scripts/validate_sarif.mjs SCHEMA NODE_MODULES FILE...
// Exit codes: 0 all valid, 1 some invalid, 77 ajv is not installed.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [schemaPath, nodeModules, ...files] = process.argv.slice(2);
if (!schemaPath || !nodeModules || files.length === 0) {
  console.error('usage: validate_sarif.mjs SCHEMA NODE_MODULES FILE...');
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(nodeModules), 'x.js'));
let Ajv04, addFormats;
try {
  Ajv04 = require('ajv-draft-04');
  addFormats = require('ajv-formats');
} catch (e) {
  console.error(`SKIP: ajv-draft-04 / ajv-formats not found under ${nodeModules}`);
  process.exit(77);
}
const Ajv = Ajv04.default || Ajv04;
const ajv = new Ajv({ allErrors: true, strict: false });
(addFormats.default || addFormats)(ajv);
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
const validate = ajv.compile(schema);
let bad = 0;
for (const file of files) {
  let doc;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`${file}: error: not JSON: ${e.message}`);
    bad++;
    continue;
  }
  if (validate(doc)) {
    console.log(`${file}: valid SARIF 2.1.0 (schema)`);
  } else {
    bad++;
    for (const err of validate.errors.slice(0, 50)) {
      console.error(`${file}: error: ${err.instancePath || '/'} ${err.message}` +
                    (err.params ? ' ' + JSON.stringify(err.params) : ''));
    }
  }
}
process.exit(bad ? 1 : 0);
