import { createHash } from 'node:crypto';
import { ApiError } from '../../../contract/errors';
import type { SessionLog } from '../session-log/session-log';
import { nowIso, type Db } from '../store/database';
import { normalizeFingerprint } from '../ssh/fingerprint';
import { signNote } from '../transparency/signed-note';
import type { Identities } from './identity';
import { assertSignableRoster, leads, openSignedRoster, parseRoster, signersAmong, type Roster, type RosterMember } from './roster';

export interface CurrentRoster {
  roster: Roster;
  /** The lead whose signature made this roster trusted. */
  signedBy: RosterMember;
  importedAt: string;
  /** The lead key this data dir was first given and confirmed: the root of its trust. */
  trustAnchor: string;
  /** The signed file as imported. */
  signedText: string;
}

export interface RosterImported extends CurrentRoster {
  /** True when this import set the trust anchor (the first roster this data dir accepted). */
  firstTrust: boolean;
  /** False when the same roster was already current (nothing was recorded). */
  changed: boolean;
  /** Things a person should know, e.g. that their own identity is not in the roster. */
  warnings: string[];
}

interface RosterRow { id: number; signed_text: string; signed_by: string; imported_at: string }

/**
 * The team roster this data dir trusts. The first roster is trusted because a person confirmed its
 * lead's key fingerprint (or because this data dir is that lead); every later one only if a lead of the
 * current roster signed it. The roster, not anyone's own `identity init`, says who is a lead.
 */
export class TeamRoster {
  constructor(private readonly db: Db, private readonly log: SessionLog, private readonly identities: Identities) {}

  /** The last roster read, by its row id: the policy asks at every decision, and rosters change rarely. */
  private cached: { id: number; current: CurrentRoster } | null = null;

  current(): CurrentRoster | null {
    const latestId = this.db.prepare('SELECT max(id) FROM rosters').pluck().get() as number | null;
    if (latestId === null) return null;
    if (this.cached?.id === latestId) return this.cached.current;
    const latest = this.db.prepare('SELECT id, signed_text, signed_by, imported_at FROM rosters WHERE id = ?').get(latestId) as RosterRow;
    const first = this.db.prepare('SELECT signed_by FROM rosters ORDER BY id LIMIT 1').pluck().get() as string;
    const { roster } = openSignedRoster(latest.signed_text);
    const signedBy = roster.members.find((m) => m.fingerprint === latest.signed_by) ?? {
      name: '(a lead of the roster before)', email: '', role: 'lead', publicKey: '', fingerprint: latest.signed_by,
    };
    const current = { roster, signedBy, importedAt: latest.imported_at, trustAnchor: first, signedText: latest.signed_text };
    this.cached = { id: latestId, current };
    return current;
  }

  /** The current roster's member with this key fingerprint, if any. */
  member(fingerprintText: string): RosterMember | undefined {
    return this.current()?.roster.members.find((m) => m.fingerprint === fingerprintText);
  }

  /** The current roster's leads (empty without a roster). */
  leads(): RosterMember[] {
    const current = this.current();
    return current ? leads(current.roster) : [];
  }

  /**
   * Signs a roster YAML as this data dir's identity. Only a lead may: one the file itself names as a lead
   * (a new team), or a lead of the roster trusted now (handing the team to someone else).
   */
  async sign(yamlText: string): Promise<string> {
    const text = assertSignableRoster(yamlText);
    const roster = parseRoster(text);
    const me = this.identities.require();
    const leadInFile = leads(roster).some((m) => m.fingerprint === me.fingerprint);
    const leadNow = this.leads().some((m) => m.fingerprint === me.fingerprint);
    if (!leadInFile && !leadNow) {
      const listed = roster.members.find((m) => m.fingerprint === me.fingerprint);
      throw new ApiError('NOT_A_LEAD', `${me.name} <${me.email}> (${me.fingerprint}) cannot sign this roster: ${listed ? `it lists them as ${listed.role}, not lead` : 'their key is not in it'}, and they are not a lead of the roster trusted here. A roster is signed by a lead.`);
    }
    return signNote(text, [await this.identities.signer()]);
  }

  /**
   * Who signed a roster file, checked as `import` would check it, and whether importing it needs the
   * person to confirm a lead's fingerprint first. Stores nothing.
   */
  preview(signedText: string): { roster: Roster; signers: RosterMember[]; needsTrustConfirmation: boolean } {
    const { note, roster } = openSignedRoster(signedText);
    const current = this.current();
    const signers = signersAmong(note, leads(current ? current.roster : roster));
    const me = this.identities.current();
    const self = me !== null && signers.some((m) => m.fingerprint === me.fingerprint);
    return { roster, signers, needsTrustConfirmation: !current && signers.length > 0 && !self };
  }

  /** Verifies and stores a signed roster; see the class comment for what makes it trusted. */
  import(signedText: string, options: { trustLead?: string } = {}): RosterImported {
    const { note, roster } = openSignedRoster(signedText);
    const current = this.current();
    const warnings: string[] = [];
    let signer: RosterMember;
    let firstTrust = false;
    if (current) {
      const by = signersAmong(note, leads(current.roster));
      if (by.length === 0) {
        const claimed = note.signatures.map((s) => s.name).join(', ') || 'nobody';
        throw new ApiError('UNTRUSTED_SIGNER', `This roster is not signed by a lead of the roster trusted here (${current.roster.team}: ${leads(current.roster).map((m) => `${m.name} ${m.fingerprint}`).join(', ')}); its signatures are by ${claimed}. A new roster must be signed by a current lead.`);
      }
      signer = by[0]!;
    } else {
      const by = signersAmong(note, leads(roster));
      if (by.length === 0) {
        throw new ApiError('SIGNATURE_INVALID', 'No lead named in this roster signed it (or the signature does not match the file: it was changed after signing).');
      }
      const me = this.identities.current();
      const self = me ? by.find((m) => m.fingerprint === me.fingerprint) : undefined;
      const confirmed = options.trustLead ? by.find((m) => m.fingerprint === normalizeFingerprint(options.trustLead!)) : undefined;
      if (!self && !confirmed) {
        const who = by.map((m) => `${m.name} <${m.email}> ${m.fingerprint}`).join(', ');
        throw new ApiError('TRUST_CONFIRMATION_NEEDED', options.trustLead
          ? `The fingerprint ${options.trustLead} is not the key that signed this roster (${who}). Check it with your lead; nothing was imported.`
          : `This is the first roster for this data dir. It is signed by ${who}. Compare that fingerprint with the one your lead gives you (in person or by phone), then import again confirming it: --trust-lead ${by[0]!.fingerprint}`);
      }
      signer = (self ?? confirmed)!;
      firstTrust = true;
    }
    const digest = sha256(signedText);
    const seen = this.db.prepare('SELECT id, signed_text, imported_at FROM rosters').all() as { id: number; signed_text: string; imported_at: string }[];
    const same = seen.find((r) => sha256(r.signed_text) === digest);
    const latestId = seen.reduce((max, r) => Math.max(max, r.id), 0);
    if (same && same.id !== latestId) {
      throw new ApiError('CONFLICT', `This roster was imported on ${same.imported_at} and has since been replaced by a newer one; an old roster is not taken back.`);
    }
    if (same) return { ...this.current()!, firstTrust: false, changed: false, warnings: ['This roster is already the current one.'] };

    const me = this.identities.current();
    if (me && !roster.members.some((m) => m.fingerprint === me.fingerprint)) {
      warnings.push(`Your own identity (${me.email}, ${me.fingerprint}) is not in this roster: a lead will not accept your bundles until it is.`);
    }
    const importedAt = nowIso();
    const importedBy = me?.email ?? 'unknown';
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO rosters (team, signed_text, signed_by, imported_at, imported_by) VALUES (?, ?, ?, ?, ?)')
        .run(roster.team, signedText, signer.fingerprint, importedAt, importedBy);
      this.log.append({
        sessionId: `roster-${digest.slice(0, 16)}`, kind: 'roster', at: importedAt, engineer: importedBy,
        summary: `Team roster of ${roster.team} imported, signed by ${signer.name} (${signer.fingerprint})`,
        detail: {
          team: roster.team, sha256: digest, signedBy: { name: signer.name, email: signer.email, fingerprint: signer.fingerprint }, firstTrust,
          members: roster.members.map((m) => ({ name: m.name, email: m.email, role: m.role, fingerprint: m.fingerprint })),
        },
      });
    }).immediate();
    return { ...this.current()!, firstTrust, changed: true, warnings };
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

