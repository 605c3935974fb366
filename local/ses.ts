import type { Server } from 'node:http';

export interface RunningSes {
  /** SESv2 endpoint for the SDK, and the mailbox: `GET /` viewer, `GET /store` JSON. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Starts aws-ses-v2-local in this process, on loopback only. Its mailbox is kept in memory. */
export async function startSes(options: { port: number }): Promise<RunningSes> {
  type Start = (config: { host: string; port: number }) => Promise<Server>;
  const module = (await import('aws-ses-v2-local')) as unknown as {
    default: Start | { default: Start };
  };
  // The package is CommonJS compiled from ESM: from native ESM its function sits one level deeper.
  const start = typeof module.default === 'function' ? module.default : module.default.default;
  const server: Server = await start({ host: '127.0.0.1', port: options.port });
  // The package resolves before it listens and swallows a failure to listen: wait, and say so.
  if (!server.listening) {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        server.close();
        reject(
          new Error(
            `The local SES could not listen on port ${options.port}: set FLYWHEEL_SES_PORT`,
          ),
        );
      }, 3000);
      server.once('listening', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
