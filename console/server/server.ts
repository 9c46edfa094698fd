import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { ConsoleServerConfig, SignInConfig } from './config';
import { developmentStaffId, STAFF_ROLES, type MintStaffToken, type StaffRole } from './development-sign-in';

/**
 * The console's server: the built app (static files, with the app's routes answered by index.html),
 * `/config.json` (how to sign in), `/graphql` forwarded to the gateway unchanged, and in development
 * `/auth/development-token`. It holds no data and no credentials of its own: every answer the app shows
 * comes from the gateway, with the signed-in person's token.
 */
export interface ConsoleServerOptions {
  config: ConsoleServerConfig;
  /** Development sign-in (see developmentSignIn); absent: the endpoint answers 404 DEVELOPMENT_SIGN_IN_DISABLED. */
  developmentTokens?: MintStaffToken;
  /** Written to the log; console.log by default. */
  log?: (line: string) => void;
}

export interface RunningConsoleServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** What the app reads at start (`/config.json`). */
export interface ConsoleRuntimeConfig {
  graphqlUrl: string;
  signIn: SignInConfig;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Request headers the gateway gets from the browser; nothing else (cookies) crosses. */
const FORWARDED_REQUEST_HEADERS = ['content-type', 'accept', 'authorization', 'apollo-require-preflight', 'x-apollo-operation-name', 'x-request-id'];
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'retry-after', 'x-request-id'];
const MAX_TOKEN_REQUEST_BYTES = 4096;

export async function startConsoleServer(options: ConsoleServerOptions): Promise<RunningConsoleServer> {
  const { config } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const staticDir = config.staticDir ? path.resolve(config.staticDir) : undefined;
  const signIn: SignInConfig = config.oidc ?? { kind: 'development' };
  const runtime: ConsoleRuntimeConfig = { graphqlUrl: '/graphql', signIn };
  const gateway = new URL(config.gatewayUrl);
  const authorityOrigin = config.oidc ? new URL(config.oidc.authority).origin : '';
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    // ECharts and React set element styles; no stylesheet comes from elsewhere.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self'${authorityOrigin ? ` ${authorityOrigin}` : ''}`,
    `form-action 'self'${authorityOrigin ? ` ${authorityOrigin}` : ''}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://console.invalid');
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    if (url.pathname === '/graphql') return forward(req, res);
    if (url.pathname === '/healthz') return json(res, 200, { status: 'ok', service: 'console' });
    if (url.pathname === '/config.json') {
      res.setHeader('cache-control', 'no-store');
      return json(res, 200, runtime);
    }
    if (url.pathname === '/auth/development-token') return void developmentToken(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'the console serves files with GET' } });
    return serveStatic(url.pathname, req, res);
  });

  function json(res: http.ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  function forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const headers: http.OutgoingHttpHeaders = {};
    for (const name of FORWARDED_REQUEST_HEADERS) if (req.headers[name] !== undefined) headers[name] = req.headers[name];
    const previous = req.headers['x-forwarded-for'];
    const client = req.socket.remoteAddress ?? '';
    headers['x-forwarded-for'] = previous ? `${previous}, ${client}` : client;
    if (req.headers['content-length']) headers['content-length'] = req.headers['content-length'];
    const upstream = http.request(
      { protocol: gateway.protocol, hostname: gateway.hostname, port: gateway.port, path: `${gateway.pathname}${new URL(req.url ?? '/', 'http://x').search}`, method: req.method, headers, agent },
      (answer) => {
        const out: http.OutgoingHttpHeaders = { 'cache-control': 'no-store' };
        for (const name of FORWARDED_RESPONSE_HEADERS) if (answer.headers[name] !== undefined) out[name] = answer.headers[name];
        res.writeHead(answer.statusCode ?? 502, out);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (res.headersSent) return void res.destroy();
      json(res, 502, { errors: [{ message: 'the gateway did not answer', extensions: { code: 'UNAVAILABLE', service: 'gateway' } }] });
    });
    req.pipe(upstream);
  }

  async function developmentToken(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    res.setHeader('cache-control', 'no-store');
    if (!options.developmentTokens) {
      return json(res, 404, { error: { code: 'DEVELOPMENT_SIGN_IN_DISABLED', message: 'staff sign in with the identity provider here' } });
    }
    if (req.method !== 'POST') return json(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'POST a role' } });
    // A JSON body, not a form: a page elsewhere cannot post it without a preflight.
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return json(res, 415, { error: { code: 'BAD_REQUEST', message: 'send application/json' } });
    let body: { role?: unknown; locationId?: unknown };
    try {
      body = JSON.parse(await readBody(req, MAX_TOKEN_REQUEST_BYTES)) as typeof body;
    } catch {
      return json(res, 400, { error: { code: 'BAD_REQUEST', message: 'the body is not JSON' } });
    }
    const role = body.role as StaffRole;
    if (!STAFF_ROLES.includes(role)) return json(res, 400, { error: { code: 'UNKNOWN_ROLE', message: `role must be one of ${STAFF_ROLES.join(', ')}` } });
    const locationId = typeof body.locationId === 'string' && body.locationId ? body.locationId : undefined;
    if (role === 'STORE_STAFF' && !locationId) return json(res, 400, { error: { code: 'LOCATION_REQUIRED', message: 'store staff work at a store' } });
    const staffId = developmentStaffId(role, role === 'STORE_STAFF' ? locationId : undefined);
    const token = await options.developmentTokens({ role, staffId, ...(role === 'STORE_STAFF' ? { locationId } : {}) });
    json(res, 200, { token, staffId, role, locationId: role === 'STORE_STAFF' ? locationId : null });
  }

  function serveStatic(pathname: string, req: http.IncomingMessage, res: http.ServerResponse): void {
    if (!staticDir || !fs.existsSync(path.join(staticDir, 'index.html'))) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      return void res.end('The console is not built: run `npm run build --prefix console`.\n');
    }
    let relative: string;
    try {
      relative = decodeURIComponent(pathname);
    } catch {
      return json(res, 400, { error: { code: 'BAD_REQUEST', message: 'bad path' } });
    }
    const file = path.resolve(staticDir, `.${relative}`);
    const inside = file.startsWith(staticDir + path.sep);
    const exists = inside && fs.existsSync(file) && fs.statSync(file).isFile();
    // Routes of the app (/customers/…) are answered by the app; a missing asset is a 404.
    const target = exists ? file : path.extname(relative) ? undefined : path.join(staticDir, 'index.html');
    if (!target) return json(res, 404, { error: { code: 'NOT_FOUND', message: 'no such file' } });
    const html = target.endsWith('.html');
    res.writeHead(200, {
      'content-type': MIME[path.extname(target)] ?? 'application/octet-stream',
      // Built assets carry a content hash in their name; the page itself is always asked again.
      'cache-control': html ? 'no-cache' : relative.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      ...(html ? { 'content-security-policy': csp, 'x-frame-options': 'DENY' } : {}),
    });
    if (req.method === 'HEAD') return void res.end();
    fs.createReadStream(target).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  if (!staticDir || !fs.existsSync(path.join(staticDir, 'index.html'))) log(`console: no build in ${staticDir ?? '(no directory)'}; the app answers 503 until it is built`);
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        agent.destroy();
      }),
  };
}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        reject(new Error('too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
