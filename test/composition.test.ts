import fs from 'node:fs';
import { Kind, parse, type FieldDefinitionNode, type ObjectTypeDefinitionNode, type TypeNode } from 'graphql';
import { SUPERGRAPH_PATH } from '../gateway/src/gateway';
import { SERVICE_NAMES } from '../shared/config';
import { composeSupergraph, subgraphSchemaPath } from '../scripts/compose';

describe('composition', () => {
  it('composes without errors, and the committed SDL files are what a fresh composition prints', async () => {
    // composeSupergraph throws with composition's own errors when the subgraphs do not compose.
    const { subgraphSdl, supergraphSdl } = await composeSupergraph();
    for (const name of SERVICE_NAMES) {
      expect(fs.readFileSync(subgraphSchemaPath(name), 'utf8')).toBe(subgraphSdl[name]);
    }
    expect(fs.readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(supergraphSdl);
  });

  it('keeps every subgraph on Federation 2 with its entities keyed by id', async () => {
    const { subgraphSdl } = await composeSupergraph();
    for (const name of SERVICE_NAMES) expect(subgraphSdl[name]).toContain('https://specs.apollo.dev/federation/v2');
    expect(subgraphSdl.customers).toMatch(/type Customer\s+@key\(fields: "id"\)/);
    expect(subgraphSdl.orders).toMatch(/type Order\s+@key\(fields: "id"\)/);
    expect(subgraphSdl.inventory).toMatch(/type Product\s+@key\(fields: "id"\)/);
  });

  it('makes every field another service resolves nullable (GRAPH.md), so that one service down nulls only its own fields', () => {
    const types = new Map<string, ObjectTypeDefinitionNode>();
    for (const d of parse(fs.readFileSync(SUPERGRAPH_PATH, 'utf8')).definitions) if (d.kind === Kind.OBJECT_TYPE_DEFINITION) types.set(d.name.value, d);
    const graphsOf = (field: FieldDefinitionNode, parent: ObjectTypeDefinitionNode): string[] => {
      const own = joinGraphs(field.directives, 'join__field');
      return own.length ? own : joinGraphs(parent.directives, 'join__type');
    };
    // A type's home: the service that resolves most of its fields (Customer: customers, Product: inventory).
    const home = new Map<string, string>();
    for (const [name, type] of types) {
      const counts = new Map<string, number>();
      for (const field of type.fields ?? []) for (const g of graphsOf(field, type)) counts.set(g, (counts.get(g) ?? 0) + 1);
      home.set(name, [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '');
    }
    const isEntity = (name: string) => !!types.get(name)?.directives?.some((d) => d.name.value === 'join__type' && d.arguments?.some((a) => a.name.value === 'key'));
    const crossService: string[] = [];
    for (const [name, type] of types) {
      if (['Query', 'Mutation'].includes(name)) continue;
      for (const field of type.fields ?? []) {
        const graphs = graphsOf(field, type);
        const returned = namedType(field.type);
        // Added to another service's type (Customer.orders), or a reference to another service's entity (OrderLine.product).
        const added = !graphs.includes(home.get(name)!);
        const reference = isEntity(returned) && !graphs.includes(home.get(returned)!);
        if ((added || reference) && field.type.kind === Kind.NON_NULL_TYPE) crossService.push(`${name}.${field.name.value}`);
      }
    }
    expect(crossService).toEqual([]);
  });
});

function joinGraphs(directives: ObjectTypeDefinitionNode['directives'], directive: string): string[] {
  return (directives ?? []).flatMap((d) => {
    const graph = d.name.value === directive ? d.arguments?.find((a) => a.name.value === 'graph')?.value : undefined;
    return graph?.kind === Kind.ENUM ? [graph.value] : [];
  });
}

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}
