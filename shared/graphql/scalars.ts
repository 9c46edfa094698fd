import { GraphQLScalarType } from 'graphql';
import { DateTimeISOResolver, JSONObjectResolver, LocalDateResolver, SafeIntResolver } from 'graphql-scalars';

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

/**
 * `SafeInt`: an integer up to 2^53 − 1 either way (graphql-scalars), for money amounts and sums that
 * outgrow GraphQL's 32-bit `Int` (a chain's yearly revenue in yen, stock summed over many locations).
 */
export const SafeIntScalar = new GraphQLScalarType({
  ...SafeIntResolver.toConfig(),
  description: 'A whole number from -(2^53 - 1) to 2^53 - 1: money in minor units, and sums that may outgrow a 32-bit Int.',
});

/** `Date`: a calendar day (YYYY-MM-DD) with no time of day or zone, e.g. a delivery date; a string in resolvers. */
export const DateScalar = new GraphQLScalarType({
  ...LocalDateResolver.toConfig(),
  name: 'Date',
  description: 'A calendar day, YYYY-MM-DD (e.g. 2026-12-24), in the business calendar (Asia/Tokyo).',
});
