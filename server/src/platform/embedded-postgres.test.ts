import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createDb } from './database.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

describe('embedded PostgreSQL', () => {
  it('is reached over its Unix socket in the data folder, and TCP on 127.0.0.1 stays open', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-socket-'));
    const cluster = await startEmbeddedPostgres({
      dataDir,
      preferredPort: 56432,
      log: pino({ level: 'silent' }),
      database: 'pitwall',
    });
    try {
      const url = cluster.connectionString('pitwall');
      expect(new URL(url).searchParams.get('host')).toBe(path.join(dataDir, 'postgres'));
      const overSocket = createDb(url, { max: 1 });
      const overTcp = createDb(url.replace(/\?.*$/, ''), { max: 1 });
      try {
        // A Unix-socket connection has no client address.
        const socketPeer = await sql<{
          addr: string | null;
        }>`SELECT inet_client_addr()::text AS addr`.execute(overSocket);
        expect(socketPeer.rows[0]?.addr).toBeNull();
        const tcpPeer = await sql<{ addr: string | null }>`SELECT inet_client_addr()::text AS addr`.execute(
          overTcp,
        );
        expect(tcpPeer.rows[0]?.addr).toBe('127.0.0.1/32');
      } finally {
        await overSocket.destroy();
        await overTcp.destroy();
      }
    } finally {
      await cluster.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
