// The JSON Schema (schema/rules-v1.schema.json) and `mqlscore validate` must agree on every file
// of tests/rules-corpus (valid/ and invalid/) and on the examples. Things a schema cannot express
// (unique ids, the last stage without minimums, nesting depth, file size) are checked by the
// Catch2 tests instead and kept out of this corpus.
// usage: node tests/schema_test.mjs path/to/mqlscore
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Ajv = require('ajv');
const cli = process.argv[2];
const schema = JSON.parse(readFileSync('schema/rules-v1.schema.json', 'utf8'));
const validateSchema = new Ajv({ allErrors: true, strict: false }).compile(schema);

function cliAccepts(file) {
  try {
    execFileSync(cli, ['validate', file], { stdio: 'pipe' });
    return true;
  } catch (error) {
    if (error.status !== 1) throw error;
    return false;
  }
}

function schemaAccepts(file) {
  let data;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
  return validateSchema(data);
}

const cases = [];
for (const [folder, expected] of [['valid', true], ['invalid', false]]) {
  const dir = join('tests/rules-corpus', folder);
  for (const name of readdirSync(dir)) cases.push([join(dir, name), expected]);
}
for (const name of readdirSync('examples')) {
  if (name.endsWith('.rules.json')) cases.push([join('examples', name), true]);
}

let failures = 0;
for (const [file, expected] of cases) {
  const bySchema = schemaAccepts(file);
  const byCli = cliAccepts(file);
  if (bySchema !== expected || byCli !== expected) {
    failures++;
    console.error(`FAIL ${file}: expected ${expected ? 'valid' : 'invalid'}, schema says ${bySchema}, validate says ${byCli}`);
    if (!bySchema && expected) console.error(JSON.stringify(validateSchema.errors, null, 1));
  }
}
console.log(`${cases.length - failures}/${cases.length} rules files: schema and validate agree`);
process.exit(failures ? 1 : 0);
