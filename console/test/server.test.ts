import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleServer, type RunningConsoleServer } from '../server/server';

/** A stand-in gateway that answers with what it was sent. */
let gateway: http.Server;
let gatewayUrl: string;
let server: RunningConsoleServer;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-static-'));

beforeAll(async () => {
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>console</title>');
  fs.writeFileSync(path.join(dir, 'assets', 'app-abc123.js'), 'console.log(1)');
  fs.writeFileSync(path.join(os.tmpdir(), 'console-secret.txt'), 'secret');
  gateway = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'r-1', 'set-cookie': 'a=b' });
      res.end(JSON.stringify({ data: { path: req.url, method: req.method, authorization: req.headers.authorization ?? null, cookie: req.headers.cookie ?? null, forwardedFor: req.headers['x-forwarded-for'] ?? null, body } }));
    });
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', () => resolve()));
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/graphql`;
  server = await startConsoleServer({ config: { nodeEnv: 'test', host: '127.0.0.1', port: 0, gatewayUrl, staticDir: dir }, log: () => undefined });
});

afterAll(async () => {
  await server.close();
  await new Promise((resolve) => gateway.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the console server', () => {
  it('forwards /graphql to the gateway with the bearer token, and nothing of the browser else (cookies)', async () => {
    const response = await fetch(`${server.url}graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t', cookie: 'session=x' },
      body: '{"query":"{ __typename }"}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('r-1');
    expect(response.headers.get('set-cookie')).toBeNull();
    const { data } = await response.json();
    expect(data).toEqual({ path: '/graphql', method: 'POST', authorization: 'Bearer t', cookie: null, forwardedFor: expect.stringMatching(/127\.0\.0\.1/), body: '{"query":"{ __typename }"}' });
  });

  it('answers the app for its routes, assets by name, and nothing outside its folder', async () => {
    const page = await fetch(`${server.url}customers/c-1`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(await page.text()).toContain('<title>console</title>');
    const asset = await fetch(`${server.url}assets/app-abc123.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${server.url}assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${server.url}..%2F..%2Fconsole-secret.txt`)).status).toBe(404);
    expect((await fetch(`${server.url}%2e%2e/%2e%2e/console-secret.txt`)).status).not.toBe(200);
  });

  it('says UNAVAILABLE naming the gateway when it does not answer', async () => {
    const lone = await startConsoleServer({ config: { nodeEnv: 'test', host: '127.0.0.1', port: 0, gatewayUrl: 'http://127.0.0.1:9/graphql', staticDir: dir }, log: () => undefined });
    try {
      const response = await fetch(`${lone.url}graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(502);
      expect((await response.json()).errors[0].extensions).toEqual({ code: 'UNAVAILABLE', service: 'gateway' });
    } finally {
      await lone.close();
    }
  });
});
