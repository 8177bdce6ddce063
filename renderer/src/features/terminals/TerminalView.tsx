import '@xterm/xterm/css/xterm.css';
import { ActionIcon, Alert, Badge, Button, Group, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconFolders, IconPlayerStop, IconRefresh, IconSearch, IconX } from '@tabler/icons-react';
import { useElementSize } from '@mantine/hooks';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal, type ILinkHandler } from '@xterm/xterm';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { api } from '../../api/transport';
import { openTerminalStream, type TerminalStream } from '../../api/terminal-stream';
import { errorMessage } from '../../lib/validation';
import { useSessionLog } from '../../stores/session-log';
import { useTerminals, type TerminalTab } from '../../stores/terminals';
import { ClosingSummaryPrompt } from './ClosingSummaryPrompt';
import { describeExit, endLines, ExitBanner, type TerminalEnd } from './ExitBanner';
import { HostKeyDialog } from './HostKeyDialog';
import { PromptDialog, type SignInQuestions } from './PromptDialog';
import { ForwardsPanel } from './ForwardsPanel';
import { FilesPanel } from '../files/FilesPanel';
import { panelMemory } from '../files/panel-memory';
import { ReplacePinDialog } from './ReplacePinDialog';
import { CLOSE_TAKEN_OVER, type ChangedHostKey } from '../../../../contract/terminal-protocol';
import { clipboardAction, clipboardError, copySelection, pasteClipboard } from './clipboard';
import { applyRenderer } from './terminal-renderer';

type Status = 'connecting' | 'connected' | 'ended';

export const TERMINAL_THEME = { background: '#101418', foreground: '#e6e6e6', cursor: '#8ab4f8' };

export const DEFAULT_FONT_SIZE = 13;
const MIN_FONT_SIZE = 8;
const MAX_FONT_SIZE = 32;

/** Ctrl+= / Ctrl+- / Ctrl+0 (Ctrl++ too): the font size they ask for, or null for any other key. */
export function zoomedFontSize(event: Pick<KeyboardEvent, 'ctrlKey' | 'altKey' | 'metaKey' | 'key'>, current: number): number | null {
  if (!event.ctrlKey || event.altKey || event.metaKey) return null;
  if (event.key === '=' || event.key === '+') return Math.min(MAX_FONT_SIZE, current + 1);
  if (event.key === '-' || event.key === '_') return Math.max(MIN_FONT_SIZE, current - 1);
  if (event.key === '0') return DEFAULT_FONT_SIZE;
  return null;
}

/** Ctrl+Shift+L opens or closes the Files panel (Ctrl+Shift+F is the scrollback's search). */
export const isFilesKey = (event: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey'>) =>
  event.ctrlKey && event.shiftKey && !event.altKey && !event.metaKey && (event.code === 'KeyL' || event.key === 'L' || event.key === 'l');

/** Below this width the Files panel goes under the terminal instead of beside it. */
const FILES_BESIDE_MIN_WIDTH = 860;

const isReconnectKey = (event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey'>) =>
  (event.key === 'r' || event.key === 'R') && !event.ctrlKey && !event.altKey && !event.metaKey;

/** A link in the terminal's output: never window.open; main checks it (https only) and hands it to the system. */
function openLink(uri: string, fail: (message: string) => void): void {
  let url: string;
  try {
    url = new URL(uri).href;
  } catch {
    fail(`${uri} is not a link Switchboard can open.`);
    return;
  }
  api['links.open']({ url }).catch((e: unknown) => fail(errorMessage(e)));
}

/**
 * OSC 8 hyperlinks (`ESC ]8;;URI ESC \ text ESC ]8;; ESC \`), where the host picks the shown text and
 * the target apart: the same road as plain links. Every scheme reaches `activate`, so a javascript: or
 * file: link is refused with the reason instead of doing nothing, and the real target is the tooltip.
 */
function oscLinkHandler(fail: (message: string) => void, showTarget: (uri: string | null) => void): ILinkHandler {
  return {
    allowNonHttpProtocols: true,
    activate: (_event, uri) => openLink(uri, fail),
    hover: (_event, uri) => showTarget(uri),
    leave: () => showTarget(null),
  };
}

/**
 * One SSH terminal: xterm fitted to its box, bytes on the terminal stream, every write acknowledged.
 * Ctrl+Shift+F searches the scrollback, Ctrl+Shift+L opens the Files panel beside it (features/files),
 * Ctrl+Shift+C / Ctrl+Shift+V copy and paste, Ctrl+= / Ctrl+- / Ctrl+0 zoom, and R reconnects once it ended.
 */
export function TerminalView({ tab }: { tab: TerminalTab }) {
  const box = useRef<HTMLDivElement>(null);
  const stream = useRef<TerminalStream | null>(null);
  const termRef = useRef<Terminal | null>(null);
  const searchRef = useRef<SearchAddon | null>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  const statusRef = useRef<Status>('connecting');
  const reconnecting = useRef(false);
  /** The stream went away without an exit: the old session may still run in main. */
  const lostRef = useRef(false);
  const reconnectRef = useRef<() => void>(() => {});
  const [status, setStatusState] = useState<Status>('connecting');
  const [question, setQuestion] = useState<{ host: string; fingerprint: string } | null>(null);
  const [signIn, setSignIn] = useState<SignInQuestions | null>(null);
  const [answering, setAnswering] = useState(false);
  const [ended, setEnded] = useState<TerminalEnd | null>(null);
  /** Only a session that reached the shell has something to summarise. */
  const [wasConnected, setWasConnected] = useState(false);
  const [changedKey, setChangedKey] = useState<ChangedHostKey | null>(null);
  const [repinned, setRepinned] = useState(false);
  useEffect(() => setRepinned(false), [tab.sessionId]);
  const [error, setError] = useState<string | null>(null);
  const [searching, setSearching] = useState(false);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  // Remembered per host and ticket, so a reconnect (a new session) opens it again where it was.
  const [filesOpen, setFilesOpenState] = useState(() => panelMemory.isOpen(tab));
  const setFilesOpen = (open: boolean) => { panelMemory.setOpen(tab, open); setFilesOpenState(open); };
  const filesOpenRef = useRef(filesOpen);
  filesOpenRef.current = filesOpen;
  const toggleFilesRef = useRef<() => void>(() => {});
  toggleFilesRef.current = () => setFilesOpen(!filesOpenRef.current);
  const { ref: workArea, width: workWidth } = useElementSize();
  const setStatus = (next: Status) => { statusRef.current = next; setStatusState(next); };

  const reconnect = useCallback(async () => {
    if (reconnecting.current || statusRef.current !== 'ended') return;
    reconnecting.current = true;
    setBusy(true);
    setError(null);
    try {
      const term = termRef.current;
      if (lostRef.current) await api['terminals.close']({ sessionId: tab.sessionId }).catch(() => undefined);
      const opened = await api['terminals.open']({ siteId: tab.siteId, ticket: tab.ticket, target: tab.target, cols: term?.cols ?? 80, rows: term?.rows ?? 24 });
      if (!opened.decision.allowed) {
        setError(`Reconnect denied: ${opened.decision.reasons.join(' ') || 'the policy refused it'} (recorded in the session log).`);
        reconnecting.current = false;
        setBusy(false);
        void useSessionLog.getState().loadLog();
        return;
      }
      // A new session id: the tab remounts with a fresh terminal; the old session stays in the log.
      useTerminals.getState().replace(tab.sessionId, { ...tab, sessionId: opened.sessionId });
    } catch (e) {
      setError(errorMessage(e));
      reconnecting.current = false;
      setBusy(false);
    }
  }, [tab]);
  reconnectRef.current = () => void reconnect();

  const openSearch = () => {
    setSearching(true);
    setTimeout(() => { searchInput.current?.focus(); searchInput.current?.select(); }, 0);
  };

  useEffect(() => {
    const showTarget = (uri: string | null) => { if (box.current) box.current.title = uri ? `Link to ${uri}` : ''; };
    const term = new Terminal({
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace', fontSize: DEFAULT_FONT_SIZE, cursorBlink: true, scrollback: 5000, theme: TERMINAL_THEME,
      linkHandler: oscLinkHandler(setError, showTarget),
    });
    const fit = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(search);
    term.loadAddon(new WebLinksAddon((_event, uri) => openLink(uri, setError)));
    term.open(box.current!);
    const stopRenderer = applyRenderer(term, box.current!);
    termRef.current = term;
    searchRef.current = search;
    // Hidden tabs have no size; fit once they are shown again.
    const refit = () => { if (box.current && box.current.offsetWidth > 0 && box.current.offsetHeight > 0) fit.fit(); };
    term.attachCustomKeyEventHandler((event) => {
      if (event.ctrlKey && event.shiftKey && !event.altKey && (event.code === 'KeyF' || event.key === 'F' || event.key === 'f')) {
        if (event.type === 'keydown') { event.preventDefault(); openSearch(); }
        return false;
      }
      if (isFilesKey(event)) {
        if (event.type === 'keydown') { event.preventDefault(); toggleFilesRef.current(); }
        return false;
      }
      const size = zoomedFontSize(event, term.options.fontSize ?? DEFAULT_FONT_SIZE);
      if (size !== null) {
        event.preventDefault(); // not the browser's page zoom
        if (event.type === 'keydown' && size !== term.options.fontSize) {
          term.options.fontSize = size;
          refit(); // a new cell size: new cols/rows, sent by onResize
        }
        return false;
      }
      const clipboard = clipboardAction(event);
      if (clipboard) {
        event.preventDefault();
        if (event.type === 'keydown') {
          const done = clipboard === 'copy' ? copySelection(term) : pasteClipboard(term);
          void done.catch((e: unknown) => setError(clipboardError(clipboard, e)));
        }
        return false;
      }
      if (statusRef.current === 'ended' && isReconnectKey(event)) {
        if (event.type === 'keydown') reconnectRef.current();
        return false;
      }
      return true;
    });
    const end = (result: TerminalEnd) => {
      setStatus('ended');
      setEnded(result);
      setQuestion(null);
      setSignIn(null);
      term.write(endLines(result));
      term.options.disableStdin = true;
      void useSessionLog.getState().loadLog();
    };
    let s: TerminalStream;
    try {
      s = openTerminalStream(tab.sessionId, {
        // The worker hands output over joined and paced, and acks it once written (api/terminal-pump.ts).
        output: (data) => term.write(data, () => s.written()),
        message: (message) => {
          if (message.type === 'hostKey') setQuestion({ host: message.host, fingerprint: message.fingerprint });
          else if (message.type === 'prompt') setSignIn({ target: message.target, name: message.name, instructions: message.instructions, prompts: message.prompts });
          else if (message.type === 'connected') {
            setStatus('connected');
            setWasConnected(true);
            s.resize(term.cols, term.rows);
            term.focus();
          } else end(describeExit(message));
        },
        lost: (reason, code) => {
          // Another window took this terminal over: it runs on there, and this window lists it to take back.
          if (code === CLOSE_TAKEN_OVER) {
            useTerminals.getState().remove(tab.sessionId);
            return;
          }
          lostRef.current = true;
          end({ message: reason, failed: true });
        },
      });
    } catch (e) {
      end({ message: errorMessage(e), failed: true });
      return () => { stopRenderer(); termRef.current = null; searchRef.current = null; term.dispose(); };
    }
    stream.current = s;
    const encoder = new TextEncoder();
    const subscriptions = [
      // Typing ends the pacing at once (in the worker): the echo, or the prompt after a Ctrl-C, is not held back.
      term.onData((data) => s.input(encoder.encode(data))),
      term.onBinary((data) => s.input(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff))),
      term.onResize(({ cols, rows }) => s.resize(cols, rows)),
      term.onBell(() => useTerminals.getState().ring(tab.sessionId)),
    ];
    const observer = new ResizeObserver(refit);
    observer.observe(box.current!);
    refit();
    return () => {
      stopRenderer();
      observer.disconnect();
      for (const d of subscriptions) d.dispose();
      s.close();
      stream.current = null;
      termRef.current = null;
      searchRef.current = null;
      term.dispose();
    };
  }, [tab.sessionId]);

  const answer = async (accept: boolean) => {
    setAnswering(true);
    try {
      await api['terminals.answerHostKey']({ sessionId: tab.sessionId, accept });
      setQuestion(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setAnswering(false);
    }
  };

  const answerPrompt = async (answers: string[] | null) => {
    setAnswering(true);
    try {
      await api['terminals.answerPrompt']({ sessionId: tab.sessionId, answers });
      setSignIn(null);
    } catch (e) {
      setError(errorMessage(e));
      setSignIn(null);
    } finally {
      setAnswering(false);
    }
  };

  const disconnect = async () => {
    setError(null);
    try {
      const exit = await api['terminals.close']({ sessionId: tab.sessionId });
      setStatus('ended');
      setEnded(describeExit({ type: 'exit', ...exit }));
      termRef.current?.focus();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const find = (direction: 'next' | 'previous', text = query) => {
    const search = searchRef.current;
    if (!search || text === '') { setFound(null); return; }
    setFound(direction === 'next' ? search.findNext(text) : search.findPrevious(text));
  };

  const closeSearch = () => {
    setSearching(false);
    setFound(null);
    searchRef.current?.clearDecorations();
    termRef.current?.clearSelection();
    termRef.current?.focus();
  };

  const onSearchKey = (event: ReactKeyboardEvent<HTMLInputElement>) => {
    event.stopPropagation(); // typing "r" in the search box is not a reconnect
    if (event.key === 'Enter') { event.preventDefault(); find(event.shiftKey ? 'previous' : 'next'); }
    else if (event.key === 'Escape') { event.preventDefault(); closeSearch(); }
  };

  // R anywhere in this tab (its buttons included) once the session ended; the xterm handles its own keys.
  const onKeyDown = (event: ReactKeyboardEvent<HTMLDivElement>) => {
    if (isFilesKey(event.nativeEvent) && !(event.target as HTMLElement).closest('.xterm')) {
      event.preventDefault();
      toggleFilesRef.current();
      return;
    }
    if (statusRef.current !== 'ended' || !isReconnectKey(event)) return;
    const target = event.target as HTMLElement;
    if (target.closest('.xterm') || target.closest('input, textarea, select')) return;
    event.preventDefault();
    reconnectRef.current();
  };

  return (
    <Stack gap="xs" h="100%" onClick={() => useTerminals.getState().viewed(tab.sessionId)} onKeyDown={onKeyDown}>
      <Group justify="space-between">
        <Group gap="xs">
          <Text size="sm" fw={600}>{tab.host}</Text>
          <Badge variant="light" className="sb-mono">{tab.ticket}</Badge>
          <Badge variant="dot" color={status === 'connected' ? 'teal' : status === 'connecting' ? 'yellow' : 'gray'} data-testid="terminal-status">{status}</Badge>
        </Group>
        <Group gap="xs">
          <ForwardsPanel tab={tab} connected={status === 'connected'} />
          <Tooltip label="Browse and transfer files over this session (Ctrl+Shift+L)">
            <Button size="xs" variant={filesOpen ? 'filled' : 'default'} leftSection={<IconFolders size={14} />} onClick={() => setFilesOpen(!filesOpen)} aria-pressed={filesOpen} data-testid="files-toggle">Files</Button>
          </Tooltip>
          <ActionIcon variant="default" size="md" onClick={() => (searching ? closeSearch() : openSearch())} title="Search the scrollback (Ctrl+Shift+F)" aria-label="Search the scrollback" data-testid="terminal-search-toggle"><IconSearch size={14} /></ActionIcon>
          {status !== 'ended' && <Button size="xs" color="red" variant="light" leftSection={<IconPlayerStop size={14} />} onClick={() => void disconnect()} data-testid="terminal-disconnect">Disconnect</Button>}
          {status === 'ended' && <Button size="xs" variant="light" leftSection={<IconRefresh size={14} />} onClick={() => void reconnect()} loading={busy} data-testid="terminal-reconnect">Reconnect</Button>}
          {status === 'ended' && <Button size="xs" variant="default" leftSection={<IconX size={14} />} onClick={() => useTerminals.getState().remove(tab.sessionId)} data-testid="terminal-close-tab">Close tab</Button>}
        </Group>
      </Group>
      {searching && (
        <Group gap={4} data-testid="terminal-search">
          <TextInput
            ref={searchInput}
            size="xs"
            placeholder="Search the scrollback"
            value={query}
            onChange={(e) => { setQuery(e.currentTarget.value); setFound(null); }}
            onKeyDown={onSearchKey}
            data-testid="terminal-search-input"
            style={{ flex: 1, maxWidth: 320 }}
          />
          <ActionIcon variant="default" size="md" onClick={() => find('previous')} aria-label="Previous match" data-testid="terminal-search-prev"><IconArrowUp size={14} /></ActionIcon>
          <ActionIcon variant="default" size="md" onClick={() => find('next')} aria-label="Next match" data-testid="terminal-search-next"><IconArrowDown size={14} /></ActionIcon>
          <Text size="xs" c={found === false ? 'red' : 'dimmed'} data-testid="terminal-search-result" data-found={found === null ? '' : String(found)}>
            {found === null ? 'Enter: next · Shift+Enter: previous · Esc: close' : found ? 'Match found' : 'No match'}
          </Text>
          <ActionIcon variant="subtle" size="md" onClick={closeSearch} aria-label="Close search" data-testid="terminal-search-close"><IconX size={14} /></ActionIcon>
        </Group>
      )}
      {error && <Alert color="red" variant="light" data-testid="error-alert">{error}</Alert>}
      {ended && <ExitBanner end={ended} onReplacePin={setChangedKey} repinned={repinned} />}
      {ended && wasConnected && <ClosingSummaryPrompt key={tab.sessionId} sessionId={tab.sessionId} ticket={tab.ticket} />}
      <ReplacePinDialog
        changed={changedKey}
        siteId={tab.siteId}
        ticket={tab.ticket}
        onClose={() => setChangedKey(null)}
        onReplaced={() => { setChangedKey(null); setRepinned(true); void useSessionLog.getState().loadLog(); }}
      />
      <div ref={workArea} style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: filesOpen && workWidth > 0 && workWidth < FILES_BESIDE_MIN_WIDTH ? 'column' : 'row', gap: 'var(--mantine-spacing-xs)' }}>
        <div ref={box} data-testid="terminal" style={{ flex: 1, minWidth: 0, minHeight: 200, background: TERMINAL_THEME.background, padding: 6, borderRadius: 6, overflow: 'hidden' }} />
        {filesOpen && (
          <div style={workWidth < FILES_BESIDE_MIN_WIDTH ? { flex: '1 1 55%', minHeight: 0 } : { flex: '0 0 clamp(440px, 50%, 760px)', minWidth: 0, minHeight: 0 }}>
            <FilesPanel tab={tab} connected={status === 'connected'} onClose={() => { setFilesOpen(false); termRef.current?.focus(); }} />
          </div>
        )}
      </div>
      <HostKeyDialog question={question} busy={answering} onAnswer={(accept) => void answer(accept)} />
      <PromptDialog questions={signIn} busy={answering} onAnswer={(answers) => void answerPrompt(answers)} />
    </Stack>
  );
}
