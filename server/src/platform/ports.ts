import net from 'node:net';

/** True when nothing accepts connections on host:port (someone else's server would collide). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.once('listening', () => server.close(() => resolve(true)));
    server.listen(port, host);
  });
}

/** The preferred port if free, otherwise the next free one above it (at most 100 tries). */
export async function firstFreePort(preferred: number, host = '127.0.0.1'): Promise<number> {
  for (let candidate = preferred; candidate < preferred + 100; candidate++) {
    if (await isPortFree(candidate, host)) return candidate;
  }
  throw new Error(`No free port found in ${preferred}–${preferred + 99} on ${host}`);
}
