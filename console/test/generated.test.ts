import fs from 'node:fs';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import { codegenConfig } from '../codegen';
import { API_SCHEMA_PATH, apiSchemaOf, SUPERGRAPH_PATH } from '../scripts/api-schema';

const CONSOLE = path.join(__dirname, '..');
const FIX = 'run `npm run codegen --prefix console` and commit the result';

describe('typed operations', () => {
  it(`are generated from the committed supergraph's API schema (otherwise ${FIX})`, () => {
    const fresh = apiSchemaOf(fs.readFileSync(SUPERGRAPH_PATH, 'utf8'));
    expect(fs.readFileSync(API_SCHEMA_PATH, 'utf8') === fresh, `console/src/graphql/schema.graphql is behind gateway/supergraph.graphql: ${FIX}`).toBe(true);
  });

  it(`match the operations and the schema as GraphQL Code Generator writes them today (otherwise ${FIX})`, async () => {
    const outputs = (await generate({ ...codegenConfig, cwd: CONSOLE }, false)) as Array<{ filename: string; content: string }>;
    expect(outputs).toHaveLength(1);
    const committed = fs.readFileSync(path.join(CONSOLE, 'src', 'graphql', 'generated.ts'), 'utf8');
    expect(committed === outputs[0].content, `console/src/graphql/generated.ts is behind its operations or the schema: ${FIX}`).toBe(true);
  });
});
