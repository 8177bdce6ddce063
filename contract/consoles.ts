/** The HTTPS console calls: what the window sends to open one, and what it is shown back. */
import { z } from 'zod';
import { id, ticketRef } from './inputs';
import type { PolicyDecision } from './models';

export const consoleInputs = {
  consoleOpen: z.strictObject({
    siteId: id,
    ticket: ticketRef,
    target: z.string().trim().min(1, 'a target is required').max(2048),
  }),
};

/**
 * Why the console's certificate was accepted: its SHA-256 equals the host's pin (`pinned`), or no
 * pin is recorded and the certificate is one a browser trusts for the approved IP (`trusted`).
 */
export type CertificateDecision = 'pinned' | 'trusted';

export interface ConsoleCertificateView {
  /** SHA-256 of the certificate the server presented, `AB:CD:…`. */
  fingerprint: string;
  decision: CertificateDecision;
  /** The host's pin, or null when none is recorded. */
  pin: string | null;
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  selfSigned: boolean;
  /** The decision in a sentence. */
  reason: string;
}

export interface ConsoleView {
  /** What was opened: the approved IP, never the host's name. */
  url: string;
  origin: string;
  host: string;
  address: string;
  /** `window`: Switchboard's own locked-down console window; `browser`: handed to the engineer's browser. */
  shownIn: 'window' | 'browser';
  certificate: ConsoleCertificateView;
}

/** A denied attempt carries the decision and no console; an allowed one the console as opened. */
export interface ConsoleOpenView { sessionId: string; decision: PolicyDecision; console: ConsoleView | null; message: string }
