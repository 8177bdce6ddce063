import { Alert, Button, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { IconSignature } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { api } from '../../api/transport';
import type { ApprovalInspection, ApprovalNoteView } from '../../../../contract/approvals';
import { METHOD_LABELS } from '../../../../contract/domain/vocabulary';
import { errorMessage } from '../../lib/validation';
import { FormError } from '../common/FormError';
import { NoteTextForm } from './NoteTextForm';
import { SignedText } from './SignedText';

/**
 * A lead reads a request in full, then signs it; the signed approval goes back to the engineer. A pasted
 * request is handed back by the lead; one from the team store inbox (`requestId`) goes back by the sync.
 */
export function SignRequest({ onDone, requestId }: { onDone: () => void; requestId?: string }) {
  const [text, setText] = useState('');
  const [inspection, setInspection] = useState<ApprovalInspection | null>(null);
  const [signed, setSigned] = useState<ApprovalNoteView | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    if (!requestId) return;
    let alive = true;
    void (async () => {
      try {
        const { text: stored } = await api['approvals.inboxText']({ requestId });
        const read = await api['approvals.inspect']({ text: stored });
        if (alive) { setText(stored); setInspection(read); }
      } catch (error) {
        if (alive) setFailure(errorMessage(error));
      }
    })();
    return () => { alive = false; };
  }, [requestId]);

  if (signed) {
    return (
      <Stack gap="sm">
        {requestId ? (
          <Alert color="teal" variant="light" title="Signed" data-testid="signed-from-inbox">
            It goes to {signed.request.engineer} at the next team sync (the app syncs every minute; the team badge in the header syncs now), and their sync imports it.
          </Alert>
        ) : (
          <SignedText text={signed.text} fileName={signed.fileName} testId="signed-approval">Signed. Send this back to {signed.request.engineer}, who imports it.</SignedText>
        )}
        <Group justify="flex-end"><Button onClick={onDone} data-testid="sign-request-done">Done</Button></Group>
      </Stack>
    );
  }
  if (requestId && !inspection) {
    return failure
      ? <Stack gap="sm"><FormError message={failure} /><Group justify="flex-end"><Button variant="default" onClick={onDone}>Close</Button></Group></Stack>
      : <Group justify="center" py="lg"><Loader size="sm" /></Group>;
  }
  if (!inspection) {
    return <NoteTextForm testId="sign-request" hint="Paste the request an engineer sent you, or choose its file. You will see what it asks for before signing." submitLabel="Review" submitIcon={<IconSignature size={16} />}
      onSubmit={async (t) => { setInspection(await api['approvals.inspect']({ text: t })); setText(t); }} />;
  }
  const r = inspection.request;
  const rows: [string, string][] = [
    ['Engineer', `${r.engineer} (${r.engineerKey})`], ['Site', r.site], ['Method', METHOD_LABELS[r.method]], ['Host', r.host ?? 'any trusted host of the site'],
    ['Ticket', r.ticket], ['Reason', r.reason], ['Valid until', r.until], ['Requested', r.requested],
  ];
  const sign = async () => {
    try {
      setSigned(await api['approvals.sign']({ text }));
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };
  return (
    <Stack gap="sm" data-testid="sign-request-review">
      <Table verticalSpacing={4}><Table.Tbody>{rows.map(([k, v]) => <Table.Tr key={k}><Table.Th w={120}>{k}</Table.Th><Table.Td>{v}</Table.Td></Table.Tr>)}</Table.Tbody></Table>
      <Text size="xs" c="dimmed">Signed by: {inspection.signers.map((s) => `${s.name} (${s.role})`).join(', ') || 'nobody in your roster'}</Text>
      {inspection.expired && <Alert color="orange">This request has already ended.</Alert>}
      <FormError message={failure} />
      <Group justify="flex-end">
        {requestId
          ? <Button variant="default" onClick={onDone}>Cancel</Button>
          : <Button variant="default" onClick={() => { setInspection(null); setFailure(null); }}>Back</Button>}
        <Button leftSection={<IconSignature size={16} />} onClick={() => void sign()} data-testid="sign-request-confirm">Sign approval</Button>
      </Group>
    </Stack>
  );
}
