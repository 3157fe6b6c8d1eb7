/**
 * Opening and closing the local cloud's servers (gateway, scheduler twin, IoT Core's broker and HTTP API) the
 * same way: each may take a port of 0 and answer the one it was given, so that several local clouds (one per
 * test run) can run side by side on one machine.
 */
import type { Server as HttpServer } from 'node:http';
import type { Server } from 'node:net';

/** Listens on `port` (0: any free one) and answers the port bound; a port already taken rejects. */
export function listenOn({
  server,
  port,
  host,
}: {
  server: Server;
  port: number;
  host: string;
}): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

/** Closes an HTTP server at once: the kept-alive connections of its clients would otherwise hold it open. */
export function closeHttpServer(server: HttpServer): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  return closed;
}
