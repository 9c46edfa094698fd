import { GraphQLScalarType } from 'graphql';
import { DateTimeISOResolver, JSONObjectResolver } from 'graphql-scalars';

/** `DateTime`: ISO 8601 in UTC on the wire, a JS Date in resolvers. */
export const DateTimeScalar = new GraphQLScalarType({
  ...DateTimeISOResolver.toConfig(),
  name: 'DateTime',
  description: 'A point in time, ISO 8601 in UTC (e.g. 2026-11-23T09:30:00.000Z).',
});

/** `JSONObject`: a JSON document (disclosure exports), passed through as is. */
export const JSONObjectScalar = new GraphQLScalarType({
  ...JSONObjectResolver.toConfig(),
  description: 'A JSON object, e.g. everything held about a customer in a disclosure export.',
});
