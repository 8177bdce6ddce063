import { Alert, Text } from '@mantine/core';
import { IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import type { LogVerification } from '../../../../contract/models';
import { formatDateTime, plural } from '../../lib/format';
import { useSessionLog } from '../../stores/session-log';

type Problem = Extract<LogVerification, { ok: false }>['problem'];

/** Each way verification fails, in words a lead reads at a glance (the message gives the detail). */
export const PROBLEM_WORDS: Readonly<Record<Problem, string>> = {
  edited: 'Record edited',
  deleted: 'Record deleted',
  inserted: 'Record inserted',
  reordered: 'Records reordered',
  truncated: 'Newest records deleted',
  rewritten: 'Log rewritten',
  'bad-checkpoint': 'Checkpoint signature invalid',
};

function CheckpointsHeld({ checkpoints }: { checkpoints: NonNullable<Extract<LogVerification, { ok: true }>['checkpoints']> }) {
  if (!checkpoints.latest) {
    return <Text size="sm" mt={4} data-testid="verify-checkpoints">No signed checkpoint yet, so a cut of the newest records could not be caught. Sign one from the line above.</Text>;
  }
  const { latest } = checkpoints;
  return (
    <Text size="sm" mt={4} data-testid="verify-checkpoints">
      {plural(checkpoints.checked, 'signed checkpoint')} held; the latest covers {plural(latest.size, 'record')}
      {latest.signedAt ? `, signed ${formatDateTime(latest.signedAt)}` : ''} ({latest.source}).
    </Text>
  );
}

export function VerifyResult() {
  const v = useSessionLog((s) => s.verification);
  const error = useSessionLog((s) => s.verifyError);
  const cancelled = useSessionLog((s) => s.verifyCancelled);
  if (error) return <Alert color="red" variant="light" data-testid="error-alert">{error}</Alert>;
  if (cancelled) return <Alert color="gray" variant="light" data-testid="verify-cancelled">Verification cancelled before it finished: no verdict, and nothing was changed. Verify again to check the log.</Alert>;
  if (!v) return null;
  if (v.ok) {
    return (
      <Alert color="teal" variant="light" icon={<IconShieldCheck size={18} />} title={`Intact: ${plural(v.count, 'record')}`} data-testid="verify-result" data-ok="true">
        Every event links to the one before it{v.head ? <> — head #{v.head.seq} <span className="sb-mono">{v.head.hash.slice(0, 16)}</span></> : null}.
        {v.checkpoints && <CheckpointsHeld checkpoints={v.checkpoints} />}
      </Alert>
    );
  }
  return (
    <Alert color="red" variant="filled" icon={<IconShieldX size={18} />} title={`Log tampered: ${PROBLEM_WORDS[v.problem]} (record #${v.seq})`} data-testid="verify-result" data-ok="false" data-problem={v.problem}>
      {v.message}
    </Alert>
  );
}
