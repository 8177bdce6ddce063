import { MAX_UPLOAD_CHUNK, type TransferView } from '../../../../contract/files';
import { api } from '../../api/transport';

/** A slice of a File as base64, without the data-URL prefix (FileReader does it off the main thread's JS). */
function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsDataURL(blob);
  });
}

/**
 * Uploads one local file into `remoteDir`: `files.upload` begins it (the site's rule is decided there,
 * before any byte), then the bytes follow in order, ≤ 1 MiB a call, each call returning once the core
 * has taken it. Returns the transfer as begun (a refusal comes back as a transfer in state 'refused');
 * a chunk refused because the transfer ended (cancelled, failed) ends the loop quietly — the transfers
 * list shows why.
 */
export async function uploadFile(sessionId: string, remoteDir: string, file: File, overwrite: boolean, onBegun?: (transfer: TransferView) => void): Promise<TransferView> {
  const begun = await api['files.upload']({ sessionId, remoteDir, name: file.name, size: file.size, ...(overwrite ? { overwrite: true } : {}) });
  onBegun?.(begun);
  if (begun.state !== 'running') return begun;
  for (let offset = 0; offset < file.size; offset += MAX_UPLOAD_CHUNK) {
    const data = await base64Of(file.slice(offset, Math.min(file.size, offset + MAX_UPLOAD_CHUNK)));
    try {
      await api['files.uploadChunk']({ transferId: begun.transferId, offset, data });
    } catch {
      return begun;
    }
  }
  return begun;
}
