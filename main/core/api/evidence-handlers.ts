import type { ApiHandlers } from '../../../contract/api';
import type { CoreServices } from '../services';

type EvidenceMethods = 'tickets.evidence' | 'tickets.evidenceExport' | 'tickets.evidenceEndRcaWait';

/** A ticket's evidence files: the list (hashes checked), the archive, the end of an RCA wait. */
export function createEvidenceHandlers({ services }: { services: CoreServices }): Pick<ApiHandlers, EvidenceMethods> {
  const { evidence } = services;
  return {
    'tickets.evidence': ({ id }) => evidence.list(id),
    'tickets.evidenceExport': ({ id, path }) => evidence.export(id, path),
    'tickets.evidenceEndRcaWait': ({ id, sha256 }) => evidence.endRcaWait(id, sha256),
  };
}
