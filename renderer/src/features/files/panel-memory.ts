import type { TransferView } from '../../../../contract/files';
import type { TerminalTab } from '../../stores/terminals';

/**
 * What a terminal's Files panel remembers across a reconnect (which is a new session, so a new tab
 * body): whether it was open, the folder it showed, and downloads cut off in earlier sessions to the
 * same host for the same ticket — asked again, the core takes up from the bytes it kept.
 */
interface Remembered { open: boolean; path: string | null; interrupted: Map<string, TransferView> }

/** A download into a folder and one into the ticket's evidence keep their bytes apart: each is resumed on its own. */
const downloadKey = (t: Pick<TransferView, 'remotePath' | 'toEvidence'>) => `${t.toEvidence ? 'evidence' : 'folder'}\u0000${t.remotePath}`;

const panels = new Map<string, Remembered>();

const keyOf = (tab: Pick<TerminalTab, 'siteId' | 'target' | 'ticket'>) => `${tab.siteId}\u0000${tab.target}\u0000${tab.ticket}`;

function entry(tab: Pick<TerminalTab, 'siteId' | 'target' | 'ticket'>): Remembered {
  const key = keyOf(tab);
  let remembered = panels.get(key);
  if (!remembered) {
    remembered = { open: false, path: null, interrupted: new Map() };
    panels.set(key, remembered);
  }
  return remembered;
}

export const panelMemory = {
  isOpen: (tab: TerminalTab): boolean => panels.get(keyOf(tab))?.open ?? false,
  setOpen: (tab: TerminalTab, open: boolean): void => { entry(tab).open = open; },
  path: (tab: TerminalTab): string | null => panels.get(keyOf(tab))?.path ?? null,
  setPath: (tab: TerminalTab, path: string): void => { entry(tab).path = path; },
  /**
   * Notes the session's downloads (to a local folder or to the evidence) that failed with bytes kept — or were still running
   * when last seen: the panel stops asking once the session is gone, so a download the disconnect cut
   * off may never be seen failed — and forgets the ones completed since.
   */
  noteTransfers: (tab: TerminalTab, transfers: readonly TransferView[]): void => {
    const interrupted = entry(tab).interrupted;
    for (const t of transfers) {
      if (t.direction !== 'download') continue;
      if ((t.state === 'failed' || t.state === 'running') && t.bytes > 0 && t.bytes < t.total) interrupted.set(downloadKey(t), t);
      else if (t.state === 'complete' || t.state === 'cancelled' || t.state === 'refused') interrupted.delete(downloadKey(t));
    }
  },
  /** Downloads cut off in earlier sessions (not this one): the panel offers to resume them. */
  interrupted: (tab: TerminalTab): TransferView[] => [...(panels.get(keyOf(tab))?.interrupted.values() ?? [])].filter((t) => t.sessionId !== tab.sessionId),
  forget: (tab: TerminalTab, download: Pick<TransferView, 'remotePath' | 'toEvidence'>): void => { panels.get(keyOf(tab))?.interrupted.delete(downloadKey(download)); },
};
