import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ApiError, formatPath } from '../../../contract/errors';
import { fingerprint, parsePublicKeyText } from '../transparency/ed25519';
import { assertNoteText, ed25519NoteVerifier, openNote, verifiedBy, type NoteVerifier, type OpenedNote } from '../transparency/signed-note';
import { noteKeyName, personEmail, personName, ROLES, type Role } from './people';

export interface RosterMember {
  name: string;
  email: string;
  role: Role;
  /** `ed25519:<base64>`, as the file writes it. */
  publicKey: string;
  fingerprint: string;
}

export interface Roster { version: 1; team: string; members: RosterMember[] }

const memberSchema = z.strictObject({
  name: personName,
  email: personEmail,
  role: z.enum(ROLES, { message: 'role is "engineer" or "lead"' }),
  public_key: z.string().trim().min(1, 'public_key is required'),
});

const rosterSchema = z.strictObject({
  version: z.literal(1, { message: 'version must be 1 (the only roster format there is)' }),
  team: z.string().trim().min(1, 'team is required').max(200),
  members: z.array(memberSchema).min(1, 'a roster lists at least one member'),
});

/** Parses and checks a roster's YAML: every key well-formed, no e-mail or key twice, at least one lead. */
export function parseRoster(yamlText: string): Roster {
  const doc = parseDocument(yamlText, { prettyErrors: false });
  if (doc.errors.length > 0) throw invalid(`it is not valid YAML (${doc.errors[0]!.message.split('\n')[0]})`);
  const parsed = rosterSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
    throw new ApiError('INVALID_INPUT', `The team roster has ${issues.length === 1 ? 'a problem' : `${issues.length} problems`}: ${issues.map((i) => `${i.path || '(file)'}: ${i.message}`).join('; ')}.`, issues);
  }
  const members = parsed.data.members.map((m, index): RosterMember => {
    let raw: Buffer;
    try {
      raw = parsePublicKeyText(m.public_key);
    } catch (error) {
      throw invalid(`members[${index}] (${m.name}): ${(error as Error).message}`);
    }
    return { name: m.name, email: m.email, role: m.role, publicKey: m.public_key.trim(), fingerprint: fingerprint(raw) };
  });
  for (const [field, label] of [['email', 'e-mail address'], ['fingerprint', 'public key']] as const) {
    const seen = new Map<string, string>();
    for (const m of members) {
      const other = seen.get(m[field]);
      if (other) throw invalid(`${other} and ${m.name} have the same ${label}; each person has their own`);
      seen.set(m[field], m.name);
    }
  }
  if (!members.some((m) => m.role === 'lead')) throw invalid('it names no lead; a roster is signed by a lead, and says who the leads are');
  return { version: 1, team: parsed.data.team, members };
}

export function memberVerifier(member: RosterMember): NoteVerifier {
  return ed25519NoteVerifier(noteKeyName(member.email), parsePublicKeyText(member.publicKey));
}

/** The members among `candidates` whose valid signature the note carries. */
export function signersAmong(note: OpenedNote, candidates: readonly RosterMember[]): RosterMember[] {
  return candidates.filter((m) => verifiedBy(note, memberVerifier(m)));
}

export function leads(roster: Roster): RosterMember[] {
  return roster.members.filter((m) => m.role === 'lead');
}

/** A signed roster file: the YAML as a signed note's text, then the lead's signature line. */
export function openSignedRoster(signedText: string): { note: OpenedNote; roster: Roster } {
  let note: OpenedNote;
  try {
    note = openNote(signedText);
  } catch (error) {
    throw new ApiError('INVALID_INPUT', `This is not a signed roster: ${(error as Error).message} Sign the YAML with "switchboard team roster sign FILE --out SIGNED" first.`);
  }
  return { note, roster: parseRoster(note.text) };
}

/** The roster YAML as a signed note's text must end in a newline and hold no tabs or control characters. */
export function assertSignableRoster(yamlText: string): string {
  const text = yamlText.endsWith('\n') ? yamlText : `${yamlText}\n`;
  try {
    assertNoteText(text);
  } catch (error) {
    throw invalid(`it cannot be signed as it is: ${(error as Error).message} (indent with spaces, not tabs)`);
  }
  if (text.includes('\n\n\u2014 ')) throw invalid('it already carries signature lines; sign the plain YAML file');
  return text;
}

function invalid(reason: string): ApiError {
  return new ApiError('INVALID_INPUT', `The team roster is not valid: ${reason}.`);
}
