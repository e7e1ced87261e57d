import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../store/testing/test-db.ts';
import { buildNation } from '../../store/testing/factories.ts';
import type { DbHandle } from '../../store/db.ts';
import { SYSTEM_ACTOR } from '../context.ts';
import { CODECS } from './codecs.ts';
import { IMPORT_ENTITIES } from './entity.ts';
import { importFile } from './import-file.ts';

const docs = (path: string) => readFileSync(new URL(`../../../docs/${path}`, import.meta.url));

describe('docs/import-export.md', () => {
  it('documents every column of every entity in that entity’s section', () => {
    const text = docs('import-export.md').toString('utf8');
    for (const entity of IMPORT_ENTITIES) {
      const start = text.indexOf(`### ${entity} `);
      expect(start, entity).toBeGreaterThan(0);
      const end = text.indexOf('\n#', start + 4);
      const section = text.slice(start, end === -1 ? undefined : end);
      for (const column of CODECS[entity].columns) {
        const cell = column.required ? `| **${column.name}** |` : `| ${column.name} |`;
        expect(section, `${entity}.${column.name}`).toContain(cell);
      }
    }
  });
});

describe.each(testBackends())('docs/examples on $name', (backend) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await backend.open();
    for (const code of ['DEU', 'POL', 'NLD']) await buildNation(h.db, { code });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('imports every example file, in order, without a single issue, and again without a change', async () => {
    for (const entity of IMPORT_ENTITIES) {
      const data = docs(`examples/${entity}.csv`);
      const first = await importFile({ db: h.db }, SYSTEM_ACTOR, { entity, data, format: 'csv' });
      expect(first.issues, entity).toEqual([]);
      expect(first.created, entity).toBe(first.rows);
      const again = await importFile({ db: h.db }, SYSTEM_ACTOR, { entity, data, format: 'csv' });
      expect(again.unchanged, entity).toBe(again.rows);
    }
  });
});
