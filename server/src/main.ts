import { ConfigError, loadConfig } from './config';
import { createServer } from './createServer';
import { installLazySourceMaps } from './lib/lazySourceMaps';
import { createLogger } from './lib/logger';
import { StartupError } from './lib/StartupError';

// The only file that runs anything at import: parse the environment, start,
// and stop cleanly on SIGINT/SIGTERM.
async function main(): Promise<void> {
  installLazySourceMaps(import.meta.url);
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  let server;
  try {
    server = await createServer(config, { logger: log });
  } catch (error) {
    // A setting found invalid only once the database is open (a weak ADMIN_PASSWORD for a new administrator).
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    if (error instanceof StartupError) {
      log.fatal({ err: error }, 'cannot start');
      console.error(`Rapporteur cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  // One stop request often arrives twice: `pnpm start` forwards the signal
  // that the process group (Ctrl-C, systemd's KillMode) also delivers here
  // directly. So the second signal is ignored and only a third forces an
  // exit, which skips the final checkpoints (SPEC R12).
  let signals = 0;
  const stop = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals === 2) {
      log.warn({ signal }, 'already shutting down; send the signal once more to force an exit');
      return;
    }
    if (signals > 2) {
      log.error({ signal }, 'forced exit before shutdown finished');
      process.exit(1);
    }
    log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
