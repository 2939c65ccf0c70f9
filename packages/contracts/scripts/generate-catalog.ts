// Writes the event catalog (docs/events.md) and one JSON Schema per event type
// (docs/schemas/<type>.v<version>.json) from the registry. With --check it writes nothing and
// exits 1 when the committed files differ from what the registry would generate.
import { readFileSync, existsSync, mkdirSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { renderCatalog } from '../src/catalog-render.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const docs = join(root, 'docs');
const schemasDir = join(docs, 'schemas');
const files = renderCatalog();
const check = process.argv.includes('--check');

const stale: string[] = [];
for (const [relative, content] of files) {
  const path = join(docs, relative);
  const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
  if (current === content) continue;
  stale.push(relative);
  if (!check) {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
  }
}
const expected = new Set([...files.keys()].filter((name) => name.startsWith('schemas/')).map((name) => name.slice('schemas/'.length)));
const orphans = existsSync(schemasDir) ? readdirSync(schemasDir).filter((name) => !expected.has(name)) : [];
for (const orphan of orphans) {
  stale.push(`schemas/${orphan} (no longer in the registry)`);
  if (!check) rmSync(join(schemasDir, orphan));
}

if (check && stale.length > 0) {
  console.error(`The event catalog is stale; run \`npm run catalog\`. Differs: ${stale.join(', ')}`);
  process.exit(1);
}
console.log(stale.length === 0 ? 'event catalog is up to date' : `wrote ${stale.length} catalog file(s)`);
