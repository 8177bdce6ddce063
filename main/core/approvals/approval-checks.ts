import { ApiError } from '../../../contract/errors';
import type { Roster, RosterMember } from '../accountability/roster';
import { memberVerifier, signersAmong } from '../accountability/roster';
import { noteKeyName } from '../accountability/people';
import { openNote, verifiedBy, type OpenedNote } from '../transparency/signed-note';
import { parseRequest, type ExceptionRequest } from './request-text';

export interface OpenedApproval { note: OpenedNote; request: ExceptionRequest }

/** A signed request or approval file: a C2SP signed note whose text is an exception request. */
export function openApprovalNote(text: string): OpenedApproval {
  let note: OpenedNote;
  try {
    note = openNote(text.replace(/\r\n/g, '\n'));
  } catch (error) {
    throw new ApiError('INVALID_INPUT', `This is not a signed exception request or approval: ${(error as Error).message} Send the file "approvals request" wrote, unchanged.`);
  }
  return { note, request: parseRequest(note.text) };
}

/** The roster member who made the request: the named engineer, with the named key, whose signature verifies. */
export function requester(opened: OpenedApproval, roster: Roster): RosterMember {
  const { request, note } = opened;
  const member = roster.members.find((m) => m.email === request.engineer);
  if (!member || member.fingerprint !== request.engineerKey) {
    throw new ApiError('UNTRUSTED_SIGNER', `The request is from ${request.engineer} (${request.engineerKey}), who is not in the roster of ${roster.team} with that key. Only members of the team's roster can ask for an exception.`);
  }
  if (!verifiedBy(note, memberVerifier(member))) {
    throw new ApiError('SIGNATURE_INVALID', `The request does not carry a valid signature by ${member.name} <${member.email}> (${member.fingerprint}): it was changed after they signed it, or they never signed it.`);
  }
  return member;
}

/**
 * The leads of the roster whose valid signature the approval carries, or an error saying precisely why
 * there is none: signed by someone who is not a lead, by a key not in the roster, or changed after signing.
 */
export function leadSigners(opened: OpenedApproval, roster: Roster): RosterMember[] {
  // Four eyes: a lead's own request needs another lead.
  const leads = roster.members.filter((m) => m.role === 'lead' && m.email !== opened.request.engineer);
  const by = signersAmong(opened.note, leads);
  if (by.length > 0) return by;
  const { note, request } = opened;
  const leadNames = new Set(leads.map((m) => noteKeyName(m.email)));
  if (note.signatures.some((s) => leadNames.has(s.name))) {
    throw new ApiError('SIGNATURE_INVALID', `The approval's lead signature does not match its text: the request (its reason, host, until or another line) was altered after the lead signed it. Ask for a new approval; nothing was imported.`);
  }
  const others = signersAmong(note, roster.members.filter((m) => m.role !== 'lead' && m.email !== request.engineer));
  if (others.length > 0) {
    const who = others.map((m) => `${m.name} <${m.email}> (${m.fingerprint})`).join(', ');
    throw new ApiError('NOT_A_LEAD', `This approval is signed by ${who}, who is an engineer in the roster of ${roster.team}, not a lead. An exception needs a lead's signature.`);
  }
  const requesterName = noteKeyName(request.engineer);
  const strangers = note.signatures.filter((s) => s.name !== requesterName).map((s) => s.name);
  if (strangers.length > 0) {
    throw new ApiError('UNTRUSTED_SIGNER', `This approval is signed by ${[...new Set(strangers)].join(', ')}, not by a lead of the roster of ${roster.team} (${leads.map((m) => `${m.name} ${m.fingerprint}`).join(', ')}). A key outside the roster cannot approve an exception.`);
  }
  throw new ApiError('NOT_A_LEAD', `This is the request itself: no lead has signed it yet. Send it to a lead of ${roster.team} (${leads.map((m) => m.name).join(', ')}) and import what they send back.`);
}
