import { ApolloClient, HttpLink, InMemoryCache, from } from '@apollo/client';
import { setContext } from '@apollo/client/link/context';
import { onError } from '@apollo/client/link/error';

/**
 * One client for the signed-in person: every request to the gateway (through the console server's
 * `/graphql`) carries their token. Partial answers are kept (errorPolicy `all`): a service down
 * leaves the rest of a page standing. A refused token ends the session.
 */
export function createApolloClient(graphqlUrl: string, token: () => string | undefined, onUnauthenticated: () => void): ApolloClient<unknown> {
  const auth = setContext((_, { headers }) => {
    const current = token();
    return { headers: { ...headers, ...(current ? { authorization: `Bearer ${current}` } : {}) } };
  });
  const expired = onError(({ graphQLErrors, networkError }) => {
    const status = (networkError as { statusCode?: number } | null)?.statusCode;
    if (status === 401 || graphQLErrors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) onUnauthenticated();
  });
  return new ApolloClient({
    link: from([expired, auth, new HttpLink({ uri: graphqlUrl })]),
    cache: new InMemoryCache({
      typePolicies: {
        // Objects without an id are values of their parent: replaced whole, never merged across customers.
        Customer: { fields: { presence: { merge: false }, purchaseSummary: { merge: false }, recommendations: { merge: false } } },
      },
    }),
    defaultOptions: {
      watchQuery: { errorPolicy: 'all', fetchPolicy: 'cache-and-network' },
      query: { errorPolicy: 'all', fetchPolicy: 'network-only' },
      mutate: { errorPolicy: 'all' },
    },
  });
}
