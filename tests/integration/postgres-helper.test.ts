import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { makeCertificateAuthority, postgresUnavailable, usePostgres } from '../helpers/postgres';
import { useTempDirs } from '../helpers/temp-dir';

/** The helper every team-store test stands on: a real server, TLS verified against its CA, crash and restart. */
describe.skipIf(postgresUnavailable() !== null)('tests/helpers/postgres', () => {
  const server = usePostgres();
  const tempDir = useTempDirs('switchboard-pg-test-');

  it('takes verify-full TLS connections against the test CA, as a server of version 15 or newer', async () => {
    const client = await server().connect();
    try {
      const { rows } = await client.query<{ version: string; ssl: boolean }>(
        'SELECT version() AS version, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      const major = Number(/^PostgreSQL (\d+)/.exec(rows[0]!.version)?.[1]);
      expect(major).toBeGreaterThanOrEqual(15);
      expect(server().version).toBe(major);
      expect(rows[0]!.ssl).toBe(true);
    } finally {
      await client.end();
    }
  });

  it('builds URLs for other roles that log in with their password', async () => {
    const admin = await server().connect();
    try {
      await admin.query("CREATE ROLE helper_probe LOGIN PASSWORD 'probe p@ss/word'");
      const probe = await server().connect(server().url('helper_probe', 'probe p@ss/word'));
      expect((await probe.query<{ user: string }>('SELECT current_user AS user')).rows[0]!.user).toBe('helper_probe');
      await probe.end();
      await expect(server().connect(server().url('helper_probe', 'wrong'))).rejects.toMatchObject({ code: '28P01' });
    } finally {
      await admin.end();
    }
  });

  it('refuses verify-full with a CA that did not sign the server certificate', async () => {
    const otherCa = await makeCertificateAuthority(tempDir(), 'other');
    const wrongCaUrl = server().superuserUrl.replace(encodeURIComponent(server().caFile), encodeURIComponent(otherCa.certFile));
    expect(wrongCaUrl).not.toBe(server().superuserUrl);
    await expect(server().connect(wrongCaUrl)).rejects.toMatchObject({ code: expect.stringMatching(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/) });
  });

  it('refuses a password login without TLS (pg_hba rejects it)', async () => {
    const plain = new pg.Client({ host: server().host, port: server().port, user: 'postgres', password: server().superuserPassword, database: 'postgres', ssl: false });
    await expect(plain.connect()).rejects.toThrow(/pg_hba.conf rejects connection .*no encryption/);
  });

  it('keeps committed data across kill() and restart() on the same port', async () => {
    const before = await server().connect();
    await before.query('CREATE TABLE survives (id int PRIMARY KEY, note text)');
    await before.query("INSERT INTO survives VALUES (1, 'before the crash')");
    const port = server().port;
    const cut = new Promise<Error>((resolve) => before.once('error', resolve));

    await server().kill();
    expect(server().running()).toBe(false);
    expect((await cut).message).toMatch(/terminated|Connection terminated|ECONNRESET/i);
    await expect(server().connect()).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    await server().restart();
    expect(server().running()).toBe(true);
    expect(server().port).toBe(port);
    const after = await server().connect();
    try {
      expect((await after.query('SELECT id, note FROM survives')).rows).toEqual([{ id: 1, note: 'before the crash' }]);
    } finally {
      await after.end();
    }
    expect(server().log()).toMatch(/database system was interrupted|not properly shut down/);
  });
});
