import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What a proxy does with a GraphQL request (the n-th, 1-based, with its body): pass it on after
 * `holdMs`, drop its connection unanswered, or hold it until the proxy closes (its caller waits, as
 * for a service that died mid-request).
 */
export type Behaviour = { holdMs: number } | 'drop' | 'hang';

export interface Proxy {
  url: string;
  /** GraphQL requests received so far. */
  received: number;
  /** GraphQL requests whose answer was passed back. */
  answered: number;
  close(): Promise<void>;
}

/** An HTTP proxy in front of a service, which holds or drops GraphQL requests as told; health checks pass straight through. */
export async function startProxy(target: string, behaviour: (n: number, body: string) => Behaviour): Promise<Proxy> {
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const graphqlRequest = req.method === 'POST';
    if (graphqlRequest) {
      const what = behaviour(++proxy.received, Buffer.concat(chunks).toString('utf8'));
      if (what === 'drop') return void req.socket.destroy();
      if (what === 'hang') return void hanging.add(res);
      await new Promise((r) => setTimeout(r, what.holdMs));
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<string, string>;
    try {
      const answer = await fetch(new URL(req.url!, target), { method: req.method, headers, body: graphqlRequest ? Buffer.concat(chunks) : undefined });
      const body = Buffer.from(await answer.arrayBuffer());
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(body);
      if (graphqlRequest) proxy.answered++;
    } catch {
      req.socket.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy: Proxy = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    received: 0,
    answered: 0,
    async close() {
      for (const res of hanging) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return proxy;
}
