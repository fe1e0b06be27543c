// Configures the real aws-amplify library with each file given and prints what it
// parsed, as one JSON object keyed by file name. Exits 1 if any file is rejected. For a
// file with models (`data.model_introspection`), it also builds the Gen 2 data client
// and lists the operations it made for each model (`models`).
// aws-exports.js is an ES module (`export default`); it is loaded from a .mjs copy so
// Node does not mistake it for CommonJS.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/data';

const results = {};
let failed = false;
for (const file of process.argv.slice(2)) {
  try {
    let config;
    if (file.endsWith('.js')) {
      const copy = join(mkdtempSync(join(tmpdir(), 'aws-exports-')), 'aws-exports.mjs');
      writeFileSync(copy, readFileSync(file));
      config = (await import(pathToFileURL(copy).href)).default;
    } else {
      config = JSON.parse(readFileSync(file, 'utf8'));
    }
    Amplify.configure(config);
    const result = { ...Amplify.getConfig() };
    if (config.data && config.data.model_introspection) {
      const client = generateClient();
      result.models = Object.fromEntries(
        Object.entries(client.models).map(([name, ops]) => [name, Object.keys(ops).sort()]),
      );
    }
    results[basename(file)] = result;
  } catch (e) {
    failed = true;
    results[basename(file)] = { error: String(e && e.message ? e.message : e) };
  }
}
console.log(JSON.stringify(results));
process.exit(failed ? 1 : 0);
