import { Alert, Button, Group, NativeSelect, Text, TextInput } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { forwardPortsOf } from '../../../../contract/domain/forward-ports';
import type { Host } from '../../../../contract/models';
import { errorMessage } from '../../lib/validation';
import { useForwards } from '../../stores/forwards';

/** Hosts of the site that have something a forward may reach, with those ports. */
function forwardableHosts(hosts: readonly Host[]) {
  return hosts.map((host) => ({ host, ports: forwardPortsOf(host) })).filter((h) => h.ports.length > 0);
}

/**
 * Adds a forward: a host of the terminal's site and one of the ports it exposes (HTTPS console, SSH,
 * or a database port on an SSH host), optionally a fixed local port. Main runs the policy again; a
 * refusal shows its reasons here (and is in the session log).
 */
export function ForwardForm({ sessionId, hosts, disabled }: { sessionId: string; hosts: readonly Host[]; disabled: boolean }) {
  const choices = useMemo(() => forwardableHosts(hosts), [hosts]);
  const [hostName, setHostName] = useState('');
  const [port, setPort] = useState('');
  const [localPort, setLocalPort] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const ports = choices.find((c) => c.host.name === hostName)?.ports ?? [];

  useEffect(() => {
    if (!choices.some((c) => c.host.name === hostName)) setHostName(choices[0]?.host.name ?? '');
  }, [choices, hostName]);
  useEffect(() => {
    if (!ports.some((p) => String(p.port) === port)) setPort(ports[0] ? String(ports[0].port) : '');
  }, [ports, port]);

  if (choices.length === 0) return <Text size="xs" c="dimmed">No host of this site has an SSH or HTTPS endpoint to forward to.</Text>;

  const localPortError = localPort !== '' && !/^\d{4,5}$/.test(localPort.trim()) ? 'a port from 1024 to 65535, or empty' : null;
  const submit = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const request = { host: hostName, port: Number(port), ...(localPort.trim() ? { localPort: Number(localPort.trim()) } : {}) };
      const result = await useForwards.getState().open(sessionId, request);
      if (!result.decision.allowed) setProblem(`Refused: ${result.decision.reasons.join(' ')} (recorded in the session log)`);
      else setLocalPort('');
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => { e.preventDefault(); void submit(); }} data-testid="forward-form">
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <NativeSelect size="xs" label="Host" value={hostName} onChange={(e) => setHostName(e.currentTarget.value)} data-testid="forward-host"
          data={choices.map((c) => ({ value: c.host.name, label: c.host.name }))} style={{ flex: 1 }} />
        <NativeSelect size="xs" label="Port" value={port} onChange={(e) => setPort(e.currentTarget.value)} data-testid="forward-port"
          data={ports.map((p) => ({ value: String(p.port), label: `${p.port} · ${p.label}` }))} style={{ flex: 1.3 }} />
        <TextInput size="xs" label="Local port" placeholder="any free" value={localPort} onChange={(e) => setLocalPort(e.currentTarget.value)}
          error={localPortError} w={96} data-testid="forward-local-port" />
        <Button size="xs" type="submit" leftSection={<IconPlus size={14} />} loading={busy} disabled={disabled || !port || localPortError !== null} data-testid="forward-add">Forward</Button>
      </Group>
      {problem && <Alert mt="xs" color="red" variant="light" p="xs" data-testid="forward-error"><Text size="xs">{problem}</Text></Alert>}
    </form>
  );
}
