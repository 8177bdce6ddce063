import path from 'node:path';
import { parseArgs } from 'node:util';
import { keepServingThroughStrayErrors, openCore, resolveDataDir } from '../core';
import { startWebHost } from './server';

/** `npm run web`: serves the built renderer and the core on 127.0.0.1 and prints the one URL to open. */
async function main(): Promise<void> {
  let values: { port?: string; 'data-dir'?: string };
  try {
    ({ values } = parseArgs({ options: { port: { type: 'string' }, 'data-dir': { type: 'string' } }, strict: true }));
  } catch (error) {
    console.error(`switchboard web: ${(error as Error).message}. Usage: npm run web -- [--port N] [--data-dir DIR]`);
    process.exit(2);
  }
  const portText = values.port ?? process.env.SWITCHBOARD_PORT ?? '0';
  const port = Number(portText);
  if (!/^[0-9]+$/.test(portText) || port > 65535) {
    console.error(`switchboard web: "${portText}" is not a port number (0–65535; 0 picks a free one).`);
    process.exit(2);
  }
  const core = openCore({ dataDir: resolveDataDir({ flag: values['data-dir'] }), mode: 'web' });
  keepServingThroughStrayErrors();
  const host = await startWebHost({ core, port, rendererDir: path.join(__dirname, '..', 'renderer') }).catch((error: Error & { code?: string }) => {
    console.error(error.code === 'EADDRINUSE' ? `switchboard web: port ${port} is already in use; pick another with --port.` : `switchboard web: ${error.message}`);
    process.exit(1);
  });
  console.log(`Switchboard is running at ${host.url}`);
  const stop = () => void host.close().then(() => core.close()).then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
