import { Button, Group, Skeleton, Stack, Stepper, Text } from '@mantine/core';
import { IconPlugConnected } from '@tabler/icons-react';
import { useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import { api } from '../../api/transport';
import { ApiError } from '../../../../contract/errors';
import { ticketInputs } from '../../../../contract/inputs';
import type { ConnectResultView, PolicyDecision, Site, TicketSummary } from '../../../../contract/models';
import type { Method } from '../../../../contract/domain/vocabulary';
import { errorMessage } from '../../lib/validation';
import { useSessions } from '../../stores/sessions';
import { useSites } from '../../stores/sites';
import { useTerminals } from '../../stores/terminals';
import { useTickets } from '../../stores/tickets';
import { navigate } from '../../stores/ui';
import { FormError } from '../common/FormError';
import { ConnectResultPanel } from './ConnectResultPanel';
import { ConsoleResultPanel, isConsoleRefusal, type ConsoleOutcome } from './ConsoleResultPanel';
import { ConnectTargetStep } from './ConnectTargetStep';
import { ConnectTicketStep } from './ConnectTicketStep';
import { PolicyDecisionView } from './PolicyDecisionView';
import { isMeeting, methodsFor } from './methods';
import type { ConnectRequest } from './openConnect';

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
  const [step, setStep] = useState(0);
  const [tickets, setTickets] = useState<TicketSummary[] | null>(null);
  const [ticketRef, setTicketRef] = useState<string | null>(request.ticketRef ?? null);
  const [creating, setCreating] = useState(false);
  const [method, setMethod] = useState<Method>(request.method ?? methods[0] ?? 'ssh');
  const [target, setTarget] = useState(request.hostName ?? '');
  const [presenter, setPresenter] = useState(false);
  const [decision, setDecision] = useState<PolicyDecision | null>(null);
  const [result, setResult] = useState<ConnectResultView | null>(null);
  const [consoleOutcome, setConsoleOutcome] = useState<ConsoleOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();

  useEffect(() => {
    api['tickets.list']({ siteId: site.id, status: 'open' }).then((list) => {
      setTickets(list);
      setTicketRef((current) => current ?? (list.length === 1 ? list[0]!.ref : null));
    }, (e: unknown) => setError(errorMessage(e)));
  }, [site.id]);

  const connection = () => ({ siteId: site.id, ticket: ticketRef ?? '', target: target.trim(), method, ...(isMeeting(method) ? { presenterConfirmed: presenter } : {}) });

  const check = async () => {
    const parsed = ticketInputs.connection.safeParse(connection());
    if (!parsed.success) { setFieldError(parsed.error.issues[0]?.message); return; }
    setBusy(true);
    setError(null);
    try {
      setDecision(await api['policy.check'](parsed.data));
      setStep(2);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

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

  const connect = async () => {
    setBusy(true);
    setError(null);
    try {
      if (method === 'https') { await openConsole(); return; }
      const shown = method === 'ssh' ? await openTerminal() : await api['sessions.connect'](connection());
      if (!shown) return;
      setResult(shown);
      setStep(3);
    } catch (e) {
      setError(`${errorMessage(e)} (The attempt is recorded in the session log.)`);
    } finally {
      setBusy(false);
      void useSessions.getState().loadLog();
      void useSessions.getState().loadRunning();
    }
  };

  const next = (event: FormEvent) => {
    event.preventDefault();
    if (step === 0) { if (ticketRef) setStep(1); else setError('Pick an open ticket, or open a new one: no session without a ticket.'); }
    else if (step === 1) void check();
    else if (step === 2) void connect();
  };

  const changeMethod = (m: Method) => {
    setMethod(m);
    setFieldError(undefined);
    if (isMeeting(m) !== isMeeting(method)) setTarget(isMeeting(m) ? '' : request.hostName ?? '');
  };

  const ticketStep = (
    <ConnectTicketStep site={site} tickets={tickets} value={ticketRef} onChange={(r) => { setTicketRef(r); setError(null); }} creating={creating} setCreating={setCreating}
      onOpened={(t) => { setCreating(false); setTicketRef(t.ref); setTickets((l) => [t, ...(l ?? [])]); void useTickets.getState().load(); setStep(1); }} />
  );

  return (
    <Stack gap="md" data-testid="connect-flow">
        <Stepper active={step} size="xs" allowNextStepsSelect={false} onStepClick={(s) => { if (s < step && !result && !consoleOutcome) setStep(s); }}>
          <Stepper.Step label="Ticket" description={ticketRef ?? 'required'} />
          <Stepper.Step label="Target" description={step > 1 ? target : 'host and method'} />
          <Stepper.Step label="Policy" description={decision ? (decision.allowed ? 'allowed' : 'denied') : 'check'} />
          <Stepper.Step label="Session" />
        </Stepper>
        <FormError message={error} />
        {/* The inline ticket form is a form of its own, so it sits outside the step form. */}
        {step === 0 && creating && ticketStep}
        {!creating && (
          <form onSubmit={next} onKeyDown={submitOnEnterInSelect} noValidate>
            <Stack gap="md">
              {step === 0 && ticketStep}
              {step === 1 && (
                <ConnectTargetStep site={site} methods={methods} method={method} setMethod={changeMethod}
                  target={target} setTarget={(t) => { setTarget(t); setFieldError(undefined); }} presenter={presenter} setPresenter={setPresenter} error={fieldError} />
              )}
              {step === 2 && decision && (
                <Stack gap="xs">
                  <PolicyDecisionView decision={decision} />
                  {!decision.allowed && <Text size="xs" c="dimmed">Connecting anyway is refused by main too; the denied attempt is recorded in the session log against {ticketRef}.</Text>}
                </Stack>
              )}
              {step === 3 && result && <ConnectResultPanel result={result} />}
              {step === 3 && consoleOutcome && <ConsoleResultPanel outcome={consoleOutcome} />}
              <Group justify="space-between">
                <Text size="xs" c="dimmed">Enter continues · Esc closes</Text>
                <Group gap="xs">
                  {step > 0 && step < 3 && <Button variant="default" onClick={() => setStep(step - 1)}>Back</Button>}
                  {step < 2 && <Button type="submit" loading={busy} data-testid="connect-next">{step === 0 ? 'Next' : 'Check policy'}</Button>}
                  {step === 2 && (
                    <Button type="submit" loading={busy} color={decision?.allowed ? undefined : 'red'} variant={decision?.allowed ? 'filled' : 'light'} leftSection={<IconPlugConnected size={16} />} data-testid="connect-go">
                      {decision?.allowed ? 'Connect' : 'Try anyway (logged)'}
                    </Button>
                  )}
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
  }, [request.siteId]);
  if (error && !site) return <FormError message={error} />;
  if (!site) return <Stack><Skeleton h={40} /><Skeleton h={120} /></Stack>;
  return <Flow site={site} request={request} onClose={onClose} />;
}
