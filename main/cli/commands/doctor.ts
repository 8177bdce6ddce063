import path from 'node:path';
import { KeytarSecretStore, runDoctor } from '../../core';
import type { CliContext } from '../context';

const LABEL = { pass: 'PASS', fail: 'FAIL', warn: 'WARN' } as const;

export async function doctor(ctx: CliContext): Promise<number> {
  const results = await runDoctor({ dataDir: ctx.dataDir, secrets: new KeytarSecretStore(), projectRoot: path.resolve(__dirname, '..', '..') });
  for (const r of results) console.log(`${LABEL[r.status]}  ${r.name.padEnd(12)} ${r.detail}`);
  const failed = results.filter((r) => r.status === 'fail').length;
  console.log(failed === 0 ? 'All required checks passed (WARN lines are optional features).' : `${failed} required check(s) failed.`);
  return failed === 0 ? 0 : 1;
}
