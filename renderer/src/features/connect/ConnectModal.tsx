import { Button, Group, Paper, Skeleton, Stack, Stepper, Text } from '@mantine/core';
import { IconPlugConnected } from '@tabler/icons-react';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { api } from '../../api/transport';
import { ApiError } from '../../../../contract/errors';
import type { ShownDecision } from '../../../../contract/connect-flow';
import { ticketInputs } from '../../../../contract/inputs';
import type { ConnectResultView, Site, TicketSummary } from '../../../../contract/models';
import { METHOD_LABELS, type Method } from '../../../../contract/domain/vocabulary';
import { errorMessage } from '../../lib/validation';
import { useRecentConnections } from '../../stores/recent-connections';
import { useSessionLog } from '../../stores/session-log';
import { useSites } from '../../stores/sites';
import { useTerminals } from '../../stores/terminals';
import { useTickets } from '../../stores/tickets';
import { navigate } from '../../stores/ui';
import { ExceptionRequestForm } from '../approvals/ExceptionRequestForm';
import { FormError } from '../common/FormError';
import { ConnectPolicyStep } from './ConnectPolicyStep';
import { ConnectResultPanel } from './ConnectResultPanel';
import { ConsoleResultPanel, isConsoleRefusal, type ConsoleOutcome } from './ConsoleResultPanel';
import { ConnectTargetStep } from './ConnectTargetStep';
import { ConnectTicketStep } from './ConnectTicketStep';
import { defaultMethod, isPreset, orderTickets, preselectTicket } from './connect-defaults';
import { hostMethods, isMeeting, methodsFor } from './methods';
import type { ConnectRequest } from './openConnect';
import { PresetTarget } from './PresetTarget';
import { VncSessionOptions } from './VncSessionOptions';

/** Browsers submit a form on Enter in a text field but not in a <select>; the flow wants both. */
function submitOnEnterInSelect(event: KeyboardEvent<HTMLFormElement>) {
  if (event.key !== 'Enter' || event.shiftKey || event.ctrlKey || event.altKey || event.metaKey) return;
  if (!(event.target instanceof HTMLSelectElement)) return;
  event.preventDefault();
  event.currentTarget.requestSubmit();
}

function Flow({ site, request, onClose }: { site: Site; request: ConnectRequest; onClose: () => void }) {
  const host = site.hosts.find((h) => h.name === request.hostName);
  const methods = methodsFor(site, host);
  const firstMethod = request.method ?? (host ? defaultMethod(site, host) : undefined);
  const [step, setStep] = useState(0);
  const [tickets, setTickets] = useState<TicketSummary[] | null>(null);
  const [ticketRef, setTicketRef] = useState<string | null>(request.ticketRef ?? null);
  const [creating, setCreating] = useState(false);
  const [method, setMethod] = useState<Method>(firstMethod ?? methods[0] ?? 'ssh');
  const [target, setTarget] = useState(request.hostName ?? '');
  // Host and method already chosen (a host row's button, the palette): only the ticket is left to pick.
  const [preset, setPreset] = useState(isPreset(site, host, firstMethod));
  const [presenter, setPresenter] = useState(false);
  const [viewOnly, setViewOnly] = useState(false);
  const [shown, setShown] = useState<ShownDecision | null>(null);
  const [requesting, setRequesting] = useState(false);
  const [result, setResult] = useState<ConnectResultView | null>(null);
  const [consoleOutcome, setConsoleOutcome] = useState<ConsoleOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  // One press is one decision: a second Enter while the first is on its way must not log a second denial.
  const deciding = useRef(false);
  const decidedAtOnce = useRef(false);
  // Enter connects after an allowed decision: Connect takes the focus, since the button pressed is gone.
  const decisionButton = useRef<HTMLButtonElement>(null);
  useEffect(() => { if (step === 2 && shown && !requesting) decisionButton.current?.focus(); }, [step, shown, requesting]);
  // Going back to a step puts the focus in its field, so Enter and Esc keep working from the keyboard.
  const container = useRef<HTMLDivElement>(null);
  // (On the ticket step that is its button: a focused <select> keeps Esc from reaching the modal.)
  const nextButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (step === 0) nextButton.current?.focus();
    if (step === 1) container.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
  }, [step]);

  useEffect(() => {
    api['tickets.list']({ siteId: site.id, status: 'open' }).then((list) => {
      const ordered = orderTickets(list, useRecentConnections.getState().entries, site.id);
      setTickets(ordered);
      setTicketRef((current) => current ?? preselectTicket(undefined, ordered, useRecentConnections.getState().entries, site.id));
    }, (e: unknown) => setError(errorMessage(e)));
  }, [site.id]);

  const connection = () => ({ siteId: site.id, ticket: ticketRef ?? '', target: target.trim(), method, ...(isMeeting(method) ? { presenterConfirmed: presenter } : {}) });

  /** Asks the core for the decision to show; a denial comes back already recorded in the session log. */
  const decide = async () => {
    if (deciding.current) return;
    const parsed = ticketInputs.connection.safeParse(connection());
    if (!parsed.success) {
      if (preset) setError(parsed.error.issues[0]?.message ?? 'Check the connection.');
      else setFieldError(parsed.error.issues[0]?.message);
      return;
    }
    deciding.current = true;
    setBusy(true);
    setError(null);
    try {
      const answer = await api['policy.decide'](parsed.data);
      setShown(answer);
      setStep(2);
      if (answer.loggedAs) void useSessionLog.getState().loadLog();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      deciding.current = false;
      setBusy(false);
    }
  };

  // A recent connection picked in the palette: everything is chosen, so its decision is the next thing to see.
  useEffect(() => {
    if (!request.decideAtOnce || decidedAtOnce.current || !preset || !ticketRef) return;
    decidedAtOnce.current = true;
    void decide();
  });

  /** SSH opens a terminal tab: the connection goes on there (host-key question included). */
  const openTerminal = async (): Promise<ConnectResultView | null> => {
    const { siteId, ticket, target: t } = connection();
    const opened = await api['terminals.open']({ siteId, ticket, target: t, cols: 80, rows: 24 });
    if (!opened.decision.allowed) return { sessionId: opened.sessionId, decision: opened.decision, launch: null, message: 'Connection denied.' };
    useTerminals.getState().add({ sessionId: opened.sessionId, host: opened.decision.host ?? t, ticket, siteId, target: t });
    onClose();
    navigate({ name: 'terminals' });
    return null;
  };

  /** VNC opens a viewer tab: the core connects, signs in and relays; the tab shows it and its rules. */
  const openViewer = async (): Promise<ConnectResultView | null> => {
    const { siteId, ticket, target: t } = connection();
    const opened = await api['vnc.open']({ siteId, ticket, target: t, ...(viewOnly ? { viewOnly: true } : {}) });
    if (!opened.decision.allowed) return { sessionId: opened.sessionId, decision: opened.decision, launch: null, message: 'Connection denied.' };
    useTerminals.getState().add({ sessionId: opened.sessionId, host: opened.decision.host ?? t, ticket, siteId, target: t, kind: 'vnc', viewOnly });
    onClose();
    navigate({ name: 'terminals' });
    return null;
  };

  /** HTTPS goes through consoles.open: policy, certificate check against the pin, then the console. */
  const openConsole = async (): Promise<void> => {
    const { siteId, ticket, target: t } = connection();
    try {
      setConsoleOutcome({ view: await api['consoles.open']({ siteId, ticket, target: t }) });
    } catch (e) {
      if (!(e instanceof ApiError) || !isConsoleRefusal(e.code)) throw e;
      setConsoleOutcome({ error: e.toData() });
    }
    setStep(3);
  };

  /** Only after an allowed decision. The core decides again as it connects, and logs that attempt whatever it says. */
  const connect = async () => {
    if (!shown?.decision.allowed || busy) return;
    setBusy(true);
    setError(null);
    try {
      if (method === 'https') { await openConsole(); return; }
      const opened = method === 'ssh' ? await openTerminal() : method === 'vnc' ? await openViewer() : await api['launches.open'](connection());
      if (!opened) return;
      setResult(opened);
      setStep(3);
    } catch (e) {
      setError(`${errorMessage(e)} (The attempt is recorded in the session log.)`);
    } finally {
      setBusy(false);
      void useSessionLog.getState().loadLog();
      void useSessionLog.getState().loadRunning();
      void useRecentConnections.getState().load();
    }
  };

  const next = (event: FormEvent) => {
    event.preventDefault();
    if (step === 0) {
      if (!ticketRef) setError('Pick an open ticket, or open a new one: no session without a ticket.');
      else if (preset) void decide();
      else setStep(1);
    } else if (step === 1) void decide();
    else if (step === 2) void connect();
  };

  const changeMethod = (m: Method) => {
    setMethod(m);
    setFieldError(undefined);
    if (isMeeting(m) !== isMeeting(method)) setTarget(isMeeting(m) ? '' : request.hostName ?? '');
  };

  const back = () => {
    setShown(null);
    setStep(step === 2 && preset ? 0 : step - 1);
  };

  const ticketStep = (
    <ConnectTicketStep site={site} tickets={tickets} value={ticketRef} onChange={(r) => { setTicketRef(r); setError(null); }} creating={creating} setCreating={setCreating}
      onOpened={(t) => { setCreating(false); setTicketRef(t.ref); setTickets((l) => [t, ...(l ?? [])]); void useTickets.getState().load(); if (!preset) setStep(1); }} />
  );
  // A method the site has not approved is denied before the host is matched, so the decision names no host: the flow's own target does.
  const exceptionHost = shown?.decision.host ?? site.hosts.find((h) => h.name === target.trim())?.name;
  const exceptionReason = `Needed for ticket ${ticketRef ?? ''}: ${METHOD_LABELS[method]} to ${exceptionHost ?? target}`;

  return (
    <Stack ref={container} gap="md" data-testid="connect-flow" data-step={step}>
        <Stepper active={step} size="xs" allowNextStepsSelect={false} onStepClick={(s) => { if (s < step && !result && !consoleOutcome) { setShown(null); setStep(s); } }}>
          <Stepper.Step label="Ticket" description={ticketRef ?? 'required'} />
          <Stepper.Step label="Target" description={preset || step > 1 ? `${target} · ${METHOD_LABELS[method]}` : 'host and method'} />
          <Stepper.Step label="Policy" description={shown ? (shown.decision.allowed ? 'allowed' : 'denied · logged') : 'check'} />
          <Stepper.Step label="Session" />
        </Stepper>
        <FormError message={error} />
        {step === 0 && preset && host && !creating && (
          <PresetTarget site={site} host={host.name} methods={hostMethods(site, host)} method={method} setMethod={changeMethod} onChange={() => { setPreset(false); if (ticketRef) setStep(1); }} />
        )}
        {/* The inline ticket and approval forms are forms of their own, so they sit outside the step form. */}
        {step === 0 && creating && ticketStep}
        {step === 2 && requesting && (
          <Paper withBorder p="md" data-testid="exception-request">
            <Text size="sm" fw={600} mb="xs">Request an exception for {site.customerName} / {site.name}</Text>
            <ExceptionRequestForm site={site} method={method} {...(exceptionHost ? { host: exceptionHost } : {})} ticket={ticketRef ?? ''} reason={exceptionReason}
              onCancel={() => setRequesting(false)} onDone={() => setRequesting(false)} />
          </Paper>
        )}
        {!creating && !requesting && (
          <form onSubmit={next} onKeyDown={submitOnEnterInSelect} noValidate>
            <Stack gap="md">
              {step === 0 && ticketStep}
              {step === 1 && (
                <ConnectTargetStep site={site} methods={methods} method={method} setMethod={changeMethod}
                  target={target} setTarget={(t) => { setTarget(t); setFieldError(undefined); }} presenter={presenter} setPresenter={setPresenter} error={fieldError} />
              )}
              {step === 2 && shown && <ConnectPolicyStep site={site} shown={shown} ticket={ticketRef ?? ''} onRequestException={() => setRequesting(true)} />}
              {step === 2 && shown?.decision.allowed && method === 'vnc' && (
                <VncSessionOptions host={site.hosts.find((h) => h.name === shown.decision.host)} viewOnly={viewOnly} setViewOnly={setViewOnly} />
              )}
              {step === 3 && result && <ConnectResultPanel result={result} />}
              {step === 3 && consoleOutcome && <ConsoleResultPanel outcome={consoleOutcome} />}
              <Group justify="space-between">
                <Text size="xs" c="dimmed">Enter continues · Esc closes</Text>
                <Group gap="xs">
                  {step > 0 && step < 3 && <Button variant="default" onClick={back} data-testid="connect-back">Back</Button>}
                  {step < 2 && <Button ref={nextButton} type="submit" loading={busy} data-testid="connect-next">{step === 0 && !preset ? 'Next' : 'Check policy'}</Button>}
                  {step === 2 && shown?.decision.allowed && (
                    <Button ref={decisionButton} type="submit" loading={busy} leftSection={<IconPlugConnected size={16} />} data-testid="connect-go">Connect</Button>
                  )}
                  {step === 2 && shown && !shown.decision.allowed && <Button variant="default" onClick={onClose} data-testid="connect-close">Close</Button>}
                  {step === 3 && <Button variant="default" onClick={onClose} data-testid="connect-done">Done</Button>}
                </Group>
              </Group>
            </Stack>
          </form>
        )}
    </Stack>
  );
}

export function ConnectModal({ request, onClose }: { request: ConnectRequest; onClose: () => void }) {
  const site = useSites((s) => s.details[request.siteId]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    useSites.getState().loadSite(request.siteId).catch((e: unknown) => setError(errorMessage(e)));
    void useRecentConnections.getState().load();
  }, [request.siteId]);
  if (error && !site) return <FormError message={error} />;
  if (!site) return <Stack><Skeleton h={40} /><Skeleton h={120} /></Stack>;
  return <Flow site={site} request={request} onClose={onClose} />;
}
