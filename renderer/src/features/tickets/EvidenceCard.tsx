import { Alert, Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconArchive, IconClockPlay, IconPaperclip, IconShieldCheck } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { EvidenceExportView, Ticket, TicketEvidenceList, TicketEvidenceView } from '../../../../contract/models';
import { api } from '../../api/transport';
import { formatDateTime } from '../../lib/format';
import { errorMessage } from '../../lib/validation';
import { useTickets } from '../../stores/tickets';

type ListedEvidence = TicketEvidenceList['files'][number];

function formatSize(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

function origin(file: TicketEvidenceView): string {
  const where = file.host && file.displayRemotePath ? `${file.host}:${file.displayRemotePath}` : (file.host ?? file.displayRemotePath ?? 'an unrecorded place');
  return file.site ? `${file.site}, ${where}` : where;
}

function HashBadge({ matches }: { matches: boolean | null }) {
  if (matches === true) return <Badge variant="light" color="teal" size="sm" leftSection={<IconShieldCheck size={12} />} data-testid="evidence-hash">hash verified</Badge>;
  return (
    <Badge variant="filled" color="red" size="sm" leftSection={<IconAlertTriangle size={12} />} data-testid="evidence-hash">
      {matches === false ? 'altered: does not match its SHA-256' : 'missing from the data dir'}
    </Badge>
  );
}

function EvidenceRow({ file }: { file: ListedEvidence }) {
  return (
    <Stack gap={2} data-testid="evidence-file" data-sha256={file.sha256}>
      <Group gap="xs" justify="space-between" wrap="nowrap">
        <Text size="sm" className="sb-mono" style={{ wordBreak: 'break-all' }} title={file.displayName}>{file.displayName}</Text>
        <Group gap={6} wrap="nowrap">
          <Text size="xs" c="dimmed">{formatSize(file.size)}</Text>
          <HashBadge matches={file.sha256Matches} />
        </Group>
      </Group>
      <Text size="xs" c="dimmed">
        {file.fetchedBy} from {origin(file)} · {formatDateTime(file.addedAt)}
      </Text>
      <Text size="xs" c="dimmed" className="sb-mono" title="SHA-256" style={{ wordBreak: 'break-all' }}>sha256 {file.sha256}</Text>
    </Stack>
  );
}

/** The RCA waits for debug data and a file came since: the engineer says whether it ends the wait. */
function RcaWaitPrompt({ ticket, file, onEnded }: { ticket: Ticket; file: TicketEvidenceView; onEnded: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const end = async () => {
    setBusy(true);
    try {
      await api['tickets.evidenceEndRcaWait']({ id: ticket.id, sha256: file.sha256 });
      await useTickets.getState().loadTicket(ticket.id);
      onEnded();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Alert color="yellow" variant="light" icon={<IconClockPlay size={16} />} title="Debug data arrived" data-testid="evidence-rca-wait">
      <Stack gap="xs">
        <Text size="sm">
          {ticket.ref} waits for debug data; <Text span className="sb-mono">{file.displayName}</Text> came {formatDateTime(file.addedAt)}.
          Is it the data the RCA waited for? Ending the wait restarts the RCA clock, and the history names this file.
        </Text>
        {error && <Text size="sm" c="red">{error}</Text>}
        <Group gap="xs">
          <Button size="xs" onClick={() => void end()} loading={busy} data-testid="evidence-end-rca-wait">End the wait with this file</Button>
        </Group>
      </Stack>
    </Alert>
  );
}

/** The files on this ticket's evidence, each hash checked by the core when listed, and their export. */
export function EvidenceCard({ ticket }: { ticket: Ticket }) {
  const tick = useTickets((s) => s.tick);
  const [list, setList] = useState<TicketEvidenceList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<EvidenceExportView | null>(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    let alive = true;
    api['tickets.evidence']({ id: ticket.id }).then((l) => { if (alive) { setList(l); setError(null); } }, (e: unknown) => alive && setError(errorMessage(e)));
    return () => { alive = false; };
  }, [ticket.id, ticket.events.length, tick, reload]);

  const exportArchive = async () => {
    setExporting(true);
    setExported(null);
    try {
      setExported(await api['tickets.evidenceExport']({ id: ticket.id }));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setExporting(false);
    }
  };

  const files = list?.files ?? [];
  return (
    <Card withBorder padding="md" data-testid="ticket-evidence">
      <Group gap={6} mb="sm" justify="space-between">
        <Group gap={6}>
          <IconPaperclip size={16} />
          <Text fw={600} size="sm">Evidence</Text>
          {list && <Badge size="xs" variant="default">{files.length}</Badge>}
        </Group>
        <Button size="xs" variant="default" leftSection={<IconArchive size={14} />} disabled={files.length === 0} loading={exporting}
          onClick={() => void exportArchive()} data-testid="evidence-export">Export archive</Button>
      </Group>
      <Stack gap="sm">
        {error && <Alert color="red" variant="light" data-testid="evidence-error">{error}</Alert>}
        {exported && (
          <Alert color="teal" variant="light" data-testid="evidence-exported">
            Archive written to <Text span className="sb-mono">{exported.file}</Text>: {exported.files} file{exported.files === 1 ? '' : 's'} with a manifest
            ({formatSize(exported.bytes)}), every hash checked.
          </Alert>
        )}
        {list?.rcaWaitCanEndWith && <RcaWaitPrompt ticket={ticket} file={list.rcaWaitCanEndWith} onEnded={() => setReload((n) => n + 1)} />}
        {list && files.length === 0 && (
          <Text size="sm" c="dimmed" data-testid="evidence-empty">
            No evidence yet. Files downloaded from a session to this ticket&apos;s evidence appear here, each kept by its SHA-256
            (from the command line: <Text span className="sb-mono">switchboard tickets attach {ticket.ref} FILE</Text>).
          </Text>
        )}
        {files.map((file) => <EvidenceRow key={file.sha256} file={file} />)}
      </Stack>
    </Card>
  );
}
