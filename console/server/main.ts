import path from 'node:path';
import { loadConsoleConfig } from './config';
import { startConsoleServer } from './server';

/**
 * The console served alone (docker-compose's `console`): the built app and `/graphql` forwarded to
 * CONSOLE_GATEWAY_URL. Staff sign in with the identity provider (CONSOLE_OIDC_*); development tokens
 * exist only in `npm start`, which serves the console itself.
 */
async function main(): Promise<void> {
  const config = loadConsoleConfig();
  const staticDir = config.staticDir ?? path.join(__dirname, '..', '..', 'dist');
  const running = await startConsoleServer({ config: { ...config, staticDir } });
  console.log(`The staff console: ${running.url} (gateway: ${config.gatewayUrl})`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    running.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
