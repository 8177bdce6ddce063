import { afterEach, describe, expect, it } from 'vitest';
import { canonicalRow } from '../../main/core/session-log/hash-chain';
import { SessionLog } from '../../main/core/session-log/session-log';
import type { SessionEventRow } from '../../main/core/session-log/types';
import { CANONICAL_SQL, ROW_COLUMNS } from '../../main/core/session-log/verify';
import { openDatabase, type Db } from '../../main/core/store/database';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs('switchboard-canonical-');
let db: Db | undefined;
afterEach(() => db?.close());

const TRICKY = ['plain', 'quo"te', 'back\\slash', 'tab\there', 'ctl\u0001\u001f', 'vt\u000b', 'bs\b ff\f', 'é ✓ 😀 ईमेल', 'ls\u2028ps\u2029', '/slash', 'del\u007f', '{"looks":"like json"}'];

describe('verify reads each record\'s canonical form from SQLite', () => {
  it('byte for byte what the app hashes (canonicalRow), for text that needs escaping', () => {
    db = openDatabase(tempDir());
    const log = new SessionLog(db);
    for (const [i, text] of TRICKY.entries()) {
      log.append({
        sessionId: `s-${text}`, kind: 'attempt', engineer: text, ticket: text, site: `Customer/${text}`, host: text, method: 'ssh', target: text,
        decision: 'allow', reasons: [text.replace(/[\r\n]/g, ' ')], outcome: 'allowed', bytesIn: i, bytesOut: 2 ** 40 + i, detail: { text, nested: { list: [text, i, null, true] } }, summary: text,
      });
    }
    const rows = db.prepare(`SELECT ${ROW_COLUMNS}, ${CANONICAL_SQL} AS canonical FROM session_events ORDER BY seq`).all() as (SessionEventRow & { canonical: string })[];
    expect(rows).toHaveLength(TRICKY.length);
    for (const { canonical, hash: _hash, ...row } of rows) expect(canonical).toBe(canonicalRow(row));
    expect(log.verify()).toMatchObject({ ok: true, count: TRICKY.length });
  });
});
