import { Badge, Box, Group, Loader, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDeviceDesktop } from '@tabler/icons-react';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { api } from '../../api/transport';
import type { VncScreenshotView } from '../../../../contract/models';
import { errorMessage } from '../../lib/validation';
import { useSessionLog } from '../../stores/session-log';
import { useTerminals, type TerminalTab } from '../../stores/terminals';
import { DEFAULT_VNC_SETTINGS, useVnc, vncSettingsKey, type VncViewerSettings } from '../../stores/vnc';
import { ClosingSummaryPrompt } from '../terminals/ClosingSummaryPrompt';
import { comboEvents, type KeyCombo } from './keys';
import { viewerAction } from './shortcuts';
import { useVncSession, type VncPhase } from './useVncSession';
import { VncEndBanner } from './VncEndBanner';
import { VncStatusLine } from './VncStatusLine';
import { VncToolbar } from './VncToolbar';

const PHASE_BADGE: Record<VncPhase, { label: string; color: string }> = {
  relay: { label: 'connecting', color: 'yellow' },
  handshake: { label: 'connecting', color: 'yellow' },
  connected: { label: 'connected', color: 'teal' },
  ended: { label: 'ended', color: 'gray' },
};

async function pngBase64(blob: Blob): Promise<string> {
  const url = await new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('could not read the picture'));
    reader.readAsDataURL(blob);
  });
  return url.slice(url.indexOf(',') + 1);
}

/**
 * One VNC session in a tab: noVNC's picture of the remote desktop with its toolbar (scale, quality,
 * keys, clipboard, screenshot, full screen), the session's rules in a status line, and its end as the
 * log records it. The session has this one viewer: closing the tab or reloading the window ends it.
 */
export function VncView({ tab }: { tab: TerminalTab }) {
  const screen = useRef<HTMLDivElement>(null);
  const viewer = useRef<HTMLDivElement>(null);
  const { state, rfb } = useVncSession(tab, screen);
  const settingsKey = vncSettingsKey(tab.siteId, tab.target);
  const settings: VncViewerSettings = useVnc((s) => s.settings[settingsKey]) ?? DEFAULT_VNC_SETTINGS;
  const [keyMenuOpen, setKeyMenuOpen] = useState(false);
  const [clipboardOpen, setClipboardOpen] = useState(false);
  const [clipboardSeen, setClipboardSeen] = useState(0);
  const [fullScreen, setFullScreen] = useState(false);
  const [screenshots, setScreenshots] = useState<VncScreenshotView[]>([]);
  const [shooting, setShooting] = useState(false);
  const [reconnecting, setReconnecting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ended = state.phase === 'ended';
  const connected = state.phase === 'connected';
  const viewOnly = state.info?.plan.viewOnly ?? tab.viewOnly ?? false;
  const remoteClipboard = state.remoteClipboard;

  // noVNC's own settings follow the toolbar (and are set again once its object exists).
  useEffect(() => {
    const r = rfb.current;
    if (!r) return;
    r.scaleViewport = settings.scale === 'fit';
    r.clipViewport = false;
    r.qualityLevel = settings.quality;
    r.compressionLevel = settings.compression;
  }, [settings, state.phase, rfb]);

  useEffect(() => {
    const onChange = () => setFullScreen(document.fullscreenElement === viewer.current && viewer.current !== null);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  useEffect(() => { if (clipboardOpen && remoteClipboard) setClipboardSeen(remoteClipboard.at); }, [clipboardOpen, remoteClipboard]);

  const changeSettings = (patch: Partial<VncViewerSettings>) => useVnc.getState().change(settingsKey, patch);

  const toggleFullScreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else viewer.current?.requestFullscreen().catch((e: unknown) => setError(`Full screen was refused: ${errorMessage(e)}`));
  };

  const sendKeys = (combo: KeyCombo) => {
    const r = rfb.current;
    if (!r || !connected || viewOnly) return;
    for (const k of comboEvents(combo)) r.sendKey(k.keysym, k.code, k.down);
    r.focus();
  };

  const sendClipboard = (text: string) => {
    rfb.current?.clipboardPasteFrom(text);
  };

  const saveScreenshot = async () => {
    const r = rfb.current;
    if (!r || !connected || shooting) return;
    setShooting(true);
    setError(null);
    try {
      const blob = await new Promise<Blob>((resolve, reject) => r.toBlob((b) => (b ? resolve(b) : reject(new Error('the viewer has no picture yet'))), 'image/png'));
      const saved = await api['vnc.saveScreenshot']({ sessionId: tab.sessionId, png: await pngBase64(blob) });
      setScreenshots((list) => [...list, saved]);
      notifications.show({ color: 'teal', title: `Screenshot saved to ${tab.ticket}`, message: `SHA-256 ${saved.sha256.slice(0, 16)}… · named in this session's record in the log.` });
    } catch (e) {
      setError(`Screenshot not saved: ${errorMessage(e)}`);
    } finally {
      setShooting(false);
      r.focus();
    }
  };

  const disconnect = async () => {
    setError(null);
    try {
      // The end (outcome, recording hash) arrives on the viewer's channel as the core logs it.
      await api['vnc.close']({ sessionId: tab.sessionId });
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const reconnect = useCallback(async () => {
    if (reconnecting || !ended) return;
    setReconnecting(true);
    setError(null);
    try {
      if (state.end?.kind === 'lost') await api['vnc.close']({ sessionId: tab.sessionId }).catch(() => undefined);
      const opened = await api['vnc.open']({ siteId: tab.siteId, ticket: tab.ticket, target: tab.target, ...(tab.viewOnly ? { viewOnly: true } : {}) });
      void useSessionLog.getState().loadLog();
      if (!opened.decision.allowed) {
        setError(`Reconnect denied: ${opened.decision.reasons.join(' ') || 'the policy refused it'} (recorded in the session log).`);
        setReconnecting(false);
        return;
      }
      // A new session id: the tab keeps its place and remounts with a new viewer; the old session stays in the log.
      useTerminals.getState().replace(tab.sessionId, { ...tab, sessionId: opened.sessionId });
    } catch (e) {
      setError(errorMessage(e));
      setReconnecting(false);
    }
  }, [reconnecting, ended, state.end, tab]);

  // Caught before noVNC (React's capture phase runs at the root, above its canvas): these keys are the viewer's.
  const onKeyDownCapture = (event: ReactKeyboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    // Text fields keep their keys (the clipboard panel's box); the toolbar's own radios and buttons do not.
    if (target.closest('textarea, select, [contenteditable="true"], input:not([type="radio"]):not([type="checkbox"])')) return;
    const action = viewerAction(event.nativeEvent, ended);
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    if (action === 'keyMenu') setKeyMenuOpen((open) => !open);
    else if (action === 'fullScreen') toggleFullScreen();
    else if (action === 'scale') changeSettings({ scale: settings.scale === 'fit' ? 'actual' : 'fit' });
    else if (action === 'screenshot') void saveScreenshot();
    else if (action === 'clipboard') setClipboardOpen((open) => !open);
    else void reconnect();
  };

  const badge = PHASE_BADGE[state.phase];
  const lost = state.end?.kind === 'lost';
  return (
    <Stack gap="xs" h="100%" onKeyDownCapture={onKeyDownCapture} data-testid="vnc-view" data-session={tab.sessionId} data-phase={state.phase}>
      <Group justify="space-between" gap="xs">
        <Group gap="xs">
          <IconDeviceDesktop size={16} />
          <Text size="sm" fw={600}>{tab.host}</Text>
          <Badge variant="light" className="sb-mono">{tab.ticket}</Badge>
          <Badge variant="dot" color={lost ? 'red' : badge.color} data-testid="vnc-status">{lost ? 'lost' : badge.label}</Badge>
        </Group>
      </Group>
      {state.end && <VncEndBanner end={state.end} error={error} />}
      {!state.end && error && <Text size="sm" c="red" data-testid="vnc-error">{error}</Text>}
      {ended && state.wasConnected && <ClosingSummaryPrompt key={tab.sessionId} sessionId={tab.sessionId} ticket={tab.ticket} />}
      <Stack ref={viewer} gap={6} style={{ flex: 1, minHeight: 0, ...(fullScreen ? { background: 'var(--mantine-color-body)', padding: 8 } : {}) }} data-fullscreen={fullScreen}>
        <VncToolbar
          connected={connected} ended={ended} viewOnly={viewOnly} clipboardRule={state.info?.plan.clipboard ?? null}
          remoteClipboard={remoteClipboard?.text ?? null} clipboardUnread={remoteClipboard !== null && remoteClipboard.at > clipboardSeen}
          settings={settings} onSettings={changeSettings}
          keyMenuOpen={keyMenuOpen} setKeyMenuOpen={setKeyMenuOpen} clipboardOpen={clipboardOpen} setClipboardOpen={setClipboardOpen}
          fullScreen={fullScreen} onFullScreen={toggleFullScreen} onKeys={sendKeys} onClipboardSend={sendClipboard}
          onScreenshot={() => void saveScreenshot()} screenshotBusy={shooting}
          onDisconnect={() => void disconnect()} onReconnect={() => void reconnect()} reconnecting={reconnecting}
          onCloseTab={() => useTerminals.getState().remove(tab.sessionId)}
        />
        <Box pos="relative" style={{ flex: 1, minHeight: 240, borderRadius: 6, overflow: 'hidden', background: '#1b1f24' }}>
          <div ref={screen} data-testid="vnc-screen" style={{ position: 'absolute', inset: 0 }} />
          {!connected && !ended && <ConnectingOverlay phase={state.phase} host={tab.host} info={state.info} />}
          {ended && <EndedScreen lastFrame={state.lastFrame} />}
        </Box>
        <VncStatusLine info={state.info} desktopName={state.desktopName} viewOnly={viewOnly} live={connected} screenshots={screenshots} />
      </Stack>
    </Stack>
  );
}

function ConnectingOverlay({ phase, host, info }: { phase: VncPhase; host: string; info: ReturnType<typeof useVncSession>['state']['info'] }) {
  const what = phase === 'relay' || !info
    ? `Reaching ${host} at its approved address and signing in. The password stays in Switchboard's core; this window never sees it.`
    : `Signed in to ${info.plan.address}:${info.plan.port}${info.plan.jump ? ` through ${info.plan.jump.host}` : ''} (${info.security}). Opening the desktop…`;
  return (
    <Stack align="center" justify="center" gap="sm" pos="absolute" inset={0} data-testid="vnc-connecting" style={{ color: '#d0d5db' }}>
      <Loader color="gray.4" size="md" />
      <Text size="sm" fw={600} c="gray.3">{phase === 'relay' ? 'Connecting…' : 'Opening the desktop…'}</Text>
      <Text size="xs" c="gray.5" maw={420} ta="center" data-testid="vnc-connecting-detail">{what}</Text>
    </Stack>
  );
}

function EndedScreen({ lastFrame }: { lastFrame: string | null }) {
  return (
    <Box pos="absolute" inset={0} style={{ display: 'flex', alignItems: 'center', justifyContent: 'center' }} data-testid="vnc-ended-screen">
      {lastFrame && <img src={lastFrame} alt="The desktop's last picture" style={{ maxWidth: '100%', maxHeight: '100%', objectFit: 'contain', opacity: 0.35, filter: 'grayscale(0.6)' }} />}
      <Text pos="absolute" size="sm" fw={600} c="gray.3">Session ended</Text>
    </Box>
  );
}
