import { Alert, Button, Group, Stack, Table, Text } from '@mantine/core';
import { IconSignature } from '@tabler/icons-react';
import { useState } from 'react';
import { api } from '../../api/transport';
import type { ApprovalInspection, ApprovalNoteView } from '../../../../contract/approvals';
import { METHOD_LABELS } from '../../../../contract/domain/vocabulary';
import { errorMessage } from '../../lib/validation';
import { FormError } from '../common/FormError';
import { NoteTextForm } from './NoteTextForm';
import { SignedText } from './SignedText';

/** A lead reads a request in full, then signs it; the signed approval goes back to the engineer. */
export function SignRequest({ onDone }: { onDone: () => void }) {
  const [text, setText] = useState('');
  const [inspection, setInspection] = useState<ApprovalInspection | null>(null);
  const [signed, setSigned] = useState<ApprovalNoteView | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  if (signed) {
    return (
      <Stack gap="sm">
        <SignedText text={signed.text} fileName={signed.fileName} testId="signed-approval">Signed. Send this back to {signed.request.engineer}, who imports it.</SignedText>
        <Group justify="flex-end"><Button onClick={onDone}>Done</Button></Group>
      </Stack>
    );
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
        <Button variant="default" onClick={() => { setInspection(null); setFailure(null); }}>Back</Button>
        <Button leftSection={<IconSignature size={16} />} onClick={() => void sign()} data-testid="sign-request-confirm">Sign approval</Button>
      </Group>
    </Stack>
  );
}
