/**
 * A small TCP load balancer for the scale-out suite: listens on 127.0.0.1:0 and forwards each new
 * connection to the next live backend, round robin. A backend that refuses the connection (e.g. a
 * killed process) is skipped for that connection. No stickiness: websocket-only clients need none.
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** One routed connection, for the test to see where clients landed. */
export interface Route {
  /** Index of the backend in the list given to {@link startBalancer}. */
  backend: number;
  at: number;
}

export interface Balancer {
  url: string;
  port: number;
  /** Every connection routed so far, in order. */
  readonly routes: readonly Route[];
  close(): Promise<void>;
}

/** Starts a balancer in front of `backendPorts` (on 127.0.0.1). The first connection goes to backend 0. */
export async function startBalancer(backendPorts: readonly number[]): Promise<Balancer> {
  let cursor = 0;
  const routes: Route[] = [];
  const open = new Set<Socket>();

  /** Connects to the next backend that accepts, starting at the cursor; null when none does. */
  const dial = async (): Promise<{ upstream: Socket; backend: number } | null> => {
    for (let tried = 0; tried < backendPorts.length; tried += 1) {
      const backend = cursor;
      cursor = (cursor + 1) % backendPorts.length;
      const upstream = await new Promise<Socket | null>((resolve) => {
        const s = connect({ host: '127.0.0.1', port: backendPorts[backend]! });
        s.once('connect', () => {
          s.removeAllListeners('error');
          resolve(s);
        });
        s.once('error', () => {
          s.destroy();
          resolve(null);
        });
      });
      if (upstream) return { upstream, backend };
    }
    return null;
  };

  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    void dial().then((found) => {
      if (!found || client.destroyed) {
        found?.upstream.destroy();
        client.destroy();
        return;
      }
      const { upstream, backend } = found;
      routes.push({ backend, at: Date.now() });
      open.add(upstream);
      upstream.on('close', () => {
        open.delete(upstream);
        client.destroy();
      });
      upstream.on('error', () => upstream.destroy());
      client.on('close', () => upstream.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    routes,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
