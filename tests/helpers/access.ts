import fs from 'node:fs';
import path from 'node:path';
import type { TestCore as Core } from './core';
import type { ExternalOpener } from '../../main/core/launchers/external-opener';
import type { AddressResolver } from '../../main/core/policy/resolver';
import { findSiteId } from '../../main/core/directory/sites';
import { VpnProfileStore } from '../../main/core/launchers/vpn-profile-store';
import { importProfile } from '../../main/core/profiles/import';
import { parseProfile } from '../../main/core/profiles/parse';
import { openTicket } from '../../main/core/tickets/tickets';
import { SAMPLE_PROFILE_YAML } from './fixtures';
import { makeTempDir } from './temp-dir';

/**
 * Fault injection for name resolution: answers come from a table, and each name may answer
 * differently on each lookup (a name whose answer changes between check and connect).
 */
export class ScriptedResolver implements AddressResolver {
  readonly lookups: string[] = [];
  constructor(private readonly answers: Record<string, (string[] | Error)[]>) {}
  async resolve(name: string): Promise<string[]> {
    this.lookups.push(name);
    const queue = this.answers[name];
    if (!queue || queue.length === 0) throw new Error(`getaddrinfo ENOTFOUND ${name}`);
    const answer = queue.length > 1 ? queue.shift()! : queue[0]!;
    if (answer instanceof Error) throw answer;
    return answer;
  }
}

/** Records what would have been opened instead of starting xdg-open. */
export class RecordingOpener implements ExternalOpener {
  readonly opened: string[] = [];
  async open(url: string): Promise<void> {
    this.opened.push(url);
  }
}

/**
 * The sample profile imported with its VPN profile file present (`ovpn`, by default one naming the
 * gateway's own address), plus one open ticket per site.
 */
export function seedAccess(core: Core, ovpn = 'client\nremote 2001:db8::10 1194\n'): { mumbai: number; pune: number; berlin: number } {
  const dir = makeTempDir('switchboard-profile-');
  fs.writeFileSync(path.join(dir, 'acme.ovpn'), ovpn);
  importProfile(core.db, parseProfile(SAMPLE_PROFILE_YAML, dir), new VpnProfileStore(core.dataDir));
  const ids = {
    mumbai: findSiteId(core.db, 'Acme Telecom', 'mumbai-prod')!,
    pune: findSiteId(core.db, 'Acme Telecom', 'pune-dr')!,
    berlin: findSiteId(core.db, 'Globex Retail', 'berlin')!,
  };
  openTicket(core.db, { ref: 'EXO-1', siteId: ids.mumbai, type: 'incident', component: 'acd', impact: { cannotTakeCalls: 30 } }, 'tester');
  openTicket(core.db, { ref: 'EXO-2', siteId: ids.pune, type: 'incident', component: 'ivr', impact: {} }, 'tester');
  openTicket(core.db, { ref: 'GLX-1', siteId: ids.berlin, type: 'change', component: 'other', impact: {} }, 'tester');
  return ids;
}
