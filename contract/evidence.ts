/** The calls on a ticket's evidence: files kept by their SHA-256, the archive, the end of an RCA wait. */
import { z } from 'zod';
import { id } from './inputs';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 is 64 lowercase hex digits');
/** An absolute path on the machine the core runs on (POSIX, or a Windows drive path). */
const absolutePath = z.string().max(4096).regex(/^(\/|[A-Za-z]:[\\/])/, 'give an absolute path').refine((p) => !p.includes('\u0000'), 'a path may not contain NUL');

export const evidenceInputs = {
  /** `path`: the archive to write (must not exist); absent, a new file in the export folder (Downloads). */
  evidenceExport: z.strictObject({ id, path: absolutePath.optional() }),
  /** The engineer's confirmation that this file is the debug data the RCA waited for. */
  evidenceEndRcaWait: z.strictObject({ id, sha256 }),
};
