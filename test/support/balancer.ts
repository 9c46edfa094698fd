import http from 'node:http';

/**
 * A load balancer in front of a service's replicas, as a deployment has one (a Kubernetes Service,
 * an ALB): it sends each request to the next replica in rotation, and takes a replica in or out of
 * rotation as its readiness probe (`/readyz`, every `probeMs`) says. It does not retry: what a
 * replica fails, the caller sees.
 */
export class Balancer {
  private readonly backends = new Map<number, { ready: boolean }>();
  private readonly agent = new http.Agent({ keepAlive: true });
  private next = 0;
  private readonly probing: NodeJS.Timeout;
  private readonly server: http.Server;

  private constructor(readonly port: number, probeMs: number) {
    this.server = http.createServer((req, res) => void this.forward(req, res));
    this.probing = setInterval(() => void this.probe(), probeMs);
  }

  static async listen(port: number, probeMs = 100): Promise<Balancer> {
    const balancer = new Balancer(port, probeMs);
    await new Promise<void>((resolve, reject) => balancer.server.once('error', reject).listen(port, '127.0.0.1', resolve));
    return balancer;
  }

  /** Adds a replica listening on `port`; it takes requests once its probe says ready. */
  add(port: number): void {
    this.backends.set(port, { ready: false });
  }

  remove(port: number): void {
    this.backends.delete(port);
  }

  /** Ports of the replicas in rotation. */
  get inRotation(): number[] {
    return [...this.backends].filter(([, b]) => b.ready).map(([port]) => port);
  }

  private async probe(): Promise<void> {
    await Promise.all(
      [...this.backends].map(async ([port, backend]) => {
        try {
          backend.ready = (await this.send(port, 'GET', '/readyz', {}, undefined, 1000)).status === 200;
        } catch {
          backend.ready = false;
        }
      }),
    );
  }

  private async forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const ready = this.inRotation;
    if (!ready.length) {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"errors":[{"message":"no replica in rotation"}]}');
      return;
    }
    const port = ready[this.next++ % ready.length];
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length', 'keep-alive'].includes(name))) as Record<string, string>;
    try {
      const answer = await this.send(port, req.method!, req.url!, headers, chunks.length ? Buffer.concat(chunks) : undefined);
      res.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body);
    } catch (err) {
      res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: `replica ${port}: ${(err as Error).message}` }] }));
    }
  }

  private send(port: number, method: string, path: string, headers: Record<string, string>, body?: Buffer, timeoutMs?: number): Promise<{ status: number; contentType: string; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const outgoing = http.request({ host: '127.0.0.1', port, method, path, headers, agent: this.agent, timeout: timeoutMs }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 502, contentType: answer.headers['content-type'] ?? 'application/json', body: Buffer.concat(chunks) }));
        answer.on('error', reject);
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error('timed out')));
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  async close(): Promise<void> {
    clearInterval(this.probing);
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    this.agent.destroy();
  }
}
