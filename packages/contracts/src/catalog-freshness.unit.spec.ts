// CI fails when docs/events.md or docs/schemas/ no longer match the registry.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCatalog } from './catalog-render.ts';

const docs = join(import.meta.dirname, '..', '..', '..', 'docs');

describe('generated event catalog', () => {
  it('is committed exactly as the registry renders it (run `npm run catalog` after changing a schema)', () => {
    const files = renderCatalog();
    for (const [relative, content] of files) {
      const path = join(docs, relative);
      expect(existsSync(path), `${relative} is missing`).toBe(true);
      expect(readFileSync(path, 'utf8'), `${relative} is stale`).toBe(content);
    }
    const committed = readdirSync(join(docs, 'schemas'));
    expect(committed.sort()).toEqual([...files.keys()].filter((name) => name.startsWith('schemas/')).map((name) => name.slice(8)).sort());
  });
});
