import RFB from '@novnc/novnc';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { VncChannel } from '../../api/vnc-channel';
import type { VncConnectedMessage } from '../../../../contract/vnc-protocol';
import { useSessionLog } from '../../stores/session-log';
import type { TerminalTab } from '../../stores/terminals';
import type { VncEnd } from './vnc-end';

/**
 * Where a viewer is: waiting for the core to reach the server and sign in ('relay'), signed in with
 * noVNC's own handshake to the relay under way ('handshake'), showing the desktop, or stopped.
 */
export type VncPhase = 'relay' | 'handshake' | 'connected' | 'ended';

export interface VncSessionState {
  phase: VncPhase;
  /** What the core said once it signed in: the server, and the session's rules (view-only, clipboard, recording). */
  info: VncConnectedMessage | null;
  end: VncEnd | null;
  /** The desktop's name as noVNC has it last (servers may rename it). */
  desktopName: string | null;
  /** The remote clipboard's last text, when the session's rule lets it reach the engineer. */
  remoteClipboard: { text: string; at: number } | null;
  /** Whether the desktop was ever shown (only such a session has something to summarise). */
  wasConnected: boolean;
  /** The desktop's last picture (a data URL), kept to show dimmed once the session ended: noVNC removes its canvas. */
  lastFrame: string | null;
}

const INITIAL: VncSessionState = { phase: 'relay', info: null, end: null, desktopName: null, remoteClipboard: null, wasConnected: false, lastFrame: null };

function lastFrameOf(viewer: RFB | null): string | null {
  try {
    const url = viewer ? viewer.toDataURL('image/png') : null;
    return url && url !== 'data:,' ? url : null;
  } catch {
    return null; // no frame yet (noVNC's canvas is 0×0 before the first update)
  }
}

/**
 * One VNC session's viewer: noVNC on the session's channel (the core's relay greets it as a server that
 * needs no authentication, so no credential is ever given to it), and the core's messages beside it.
 * The channel is opened once per session id; unmounting closes it, which ends the session (one viewer each).
 */
export function useVncSession(tab: TerminalTab, screen: RefObject<HTMLDivElement | null>): { state: VncSessionState; rfb: RefObject<RFB | null> } {
  const rfb = useRef<RFB | null>(null);
  const [state, setState] = useState<VncSessionState>(INITIAL);
  const patch = (next: Partial<VncSessionState>) => setState((s) => ({ ...s, ...next }));

  useEffect(() => {
    setState(INITIAL);
    let ended = false;
    let viewer: RFB | null = null;
    const stop = (end: VncEnd) => {
      if (ended) return;
      ended = true;
      patch({ phase: 'ended', end, lastFrame: lastFrameOf(viewer) });
      void useSessionLog.getState().loadLog();
    };
    // Deferred a task: React's development double mount must not open (and so end) the one-viewer session twice.
    const opening = setTimeout(() => {
      const channel = new VncChannel(tab.sessionId, {
        message: (message) => {
          if (message.type === 'connected') {
            if (viewer) viewer.viewOnly = message.plan.viewOnly;
            setState((s) => ({ ...s, info: message, desktopName: s.desktopName ?? message.name, phase: s.phase === 'relay' ? 'handshake' : s.phase }));
          } else stop({ kind: 'exit', exit: message });
        },
        lost: (reason, code) => stop({ kind: 'lost', reason, code }),
      });
      viewer = new RFB(screen.current!, channel, { shared: true });
      viewer.viewOnly = tab.viewOnly ?? false;
      viewer.background = 'var(--sb-vnc-background, #1b1f24)';
      viewer.addEventListener('connect', () => {
        if (!ended) patch({ phase: 'connected', wasConnected: true });
        viewer?.focus();
      });
      viewer.addEventListener('desktopname', (event) => patch({ desktopName: event.detail.name }));
      viewer.addEventListener('clipboard', (event) => patch({ remoteClipboard: { text: event.detail.text, at: Date.now() } }));
      viewer.addEventListener('disconnect', (event) => {
        // The core's exit comes before its close; a disconnect without one is noVNC's own (a protocol error).
        queueMicrotask(() => stop({ kind: 'lost', reason: event.detail.clean ? 'The viewer closed the connection' : 'The viewer lost the connection (RFB protocol error or the channel broke)', code: null }));
      });
      rfb.current = viewer;
    }, 0);
    return () => {
      clearTimeout(opening);
      ended = true;
      rfb.current = null;
      viewer?.disconnect();
    };
  }, [tab.sessionId]);

  return { state, rfb };
}
