// `npm run schemas`: writes schemas/NAME.vN.schema.json for every document of
// server/src/cli/documents.ts, generated from its TypeScript type (ts-json-schema-generator),
// and removes schemas of versions that are no longer printed. `--check` writes nothing and exits
// 1 when a file is missing, stale or extra (test/unit/cli/schemas.test.ts does the same).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';
import { DOCUMENTS, schemaFileName, schemaUrl, type DocumentName } from '../server/src/cli/documents';

export const ROOT = resolve(__dirname, '..');
export const SCHEMA_DIR = join(ROOT, 'schemas');
const SOURCE = join(ROOT, 'server/src/cli/documents.ts');

/** The schema of each document, as the text of its file. */
export function generateSchemas(): Map<string, string> {
  const out = new Map<string, string>();
  const names = Object.keys(DOCUMENTS) as DocumentName[];
  for (const name of names) {
    const generator = createGenerator({
      path: SOURCE,
      tsconfig: join(ROOT, 'tsconfig.json'),
      type: DOCUMENTS[name].type,
      expose: 'none',
      topRef: false,
      jsDoc: 'extended',
      additionalProperties: false,
      skipTypeCheck: true,
      sortProps: false,
    });
    const schema = generator.createSchema(DOCUMENTS[name].type);
    const document = {
      $schema: schema.$schema,
      $id: schemaUrl(name),
      title: `${DOCUMENTS[name].command}, version ${DOCUMENTS[name].version}`,
      ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
    };
    out.set(schemaFileName(name), `${JSON.stringify(document, null, 2)}\n`);
  }
  return out;
}

/** Differences between the generated schemas and schemas/ (empty when up to date). */
export function staleSchemas(generated: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const [file, text] of generated) {
    const path = join(SCHEMA_DIR, file);
    if (!existsSync(path)) problems.push(`schemas/${file} is missing`);
    else if (readFileSync(path, 'utf8') !== text) problems.push(`schemas/${file} is not what its type generates`);
  }
  if (existsSync(SCHEMA_DIR)) {
    for (const f of readdirSync(SCHEMA_DIR)) if (f.endsWith('.schema.json') && !generated.has(f)) problems.push(`schemas/${f} belongs to no document`);
  }
  return problems;
}

function main(): void {
  const generated = generateSchemas();
  if (process.argv.includes('--check')) {
    const problems = staleSchemas(generated);
    for (const p of problems) console.error(p);
    if (problems.length) console.error('run `npm run schemas` and commit the result');
    process.exit(problems.length ? 1 : 0);
  }
  mkdirSync(SCHEMA_DIR, { recursive: true });
  for (const f of readdirSync(SCHEMA_DIR)) if (f.endsWith('.schema.json') && !generated.has(f)) rmSync(join(SCHEMA_DIR, f));
  for (const [file, text] of generated) writeFileSync(join(SCHEMA_DIR, file), text);
  console.log(`wrote ${[...generated.keys()].map((f) => `schemas/${f}`).join(', ')}`);
}

if (require.main === module) main();
