import type { ApolloServerPlugin } from '@apollo/server';
import { isScalarType, type GraphQLScalarType } from 'graphql';
import type { RequestContext } from '../../shared/http/service';
import { DateTimeScalar, SafeIntScalar } from '../../shared/graphql/scalars';

/** The graph's own scalars that input may carry: the gateway reads them as the subgraphs do. */
const INPUT_SCALARS: GraphQLScalarType[] = [DateTimeScalar, SafeIntScalar];

/**
 * The supergraph declares scalars without their rules, so the gateway would pass any value on and the
 * subgraph's refusal would come back as a server error. With the subgraphs' parsing attached to the
 * gateway's schema, an impossible date or an unsafe integer is refused before anything runs: in
 * validation for a literal, with BAD_USER_INPUT for a variable (cost.ts coerces the variables).
 */
export function inputScalarsPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async serverWillStart() {
      return {
        schemaDidLoadOrUpdate({ apiSchema }) {
          for (const scalar of INPUT_SCALARS) {
            const type = apiSchema.getType(scalar.name);
            if (!isScalarType(type)) continue;
            Object.assign(type, { parseValue: scalar.parseValue, parseLiteral: scalar.parseLiteral });
          }
        },
      };
    },
  };
}
