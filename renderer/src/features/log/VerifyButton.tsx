import { Button, Group, Progress, Text } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import { useSessionLog } from '../../stores/session-log';

/**
 * Verify, and while it runs (on the core's worker threads, so the rest of the window keeps answering)
 * how far it got — n of N records — with a Cancel.
 */
export function VerifyButton({ onVerify }: { onVerify: () => void }) {
  const verifying = useSessionLog((s) => s.verifying);
  const progress = useSessionLog((s) => s.verifyProgress);
  const cancel = useSessionLog((s) => s.cancelVerify);
  if (!verifying) {
    return <Button variant="default" leftSection={<IconShieldCheck size={16} />} onClick={onVerify} data-testid="verify-log">Verify log integrity</Button>;
  }
  const { done, total } = progress ?? { done: 0, total: 0 };
  const percent = total > 0 ? Math.min(100, (done / total) * 100) : 0;
  return (
    <Group gap="xs" data-testid="verify-progress" data-done={done} data-total={total}>
      <div style={{ width: 220 }}>
        <Text size="xs" c="dimmed" data-testid="verify-progress-text">
          {total > 0 ? `Verifying: ${done.toLocaleString()} of ${total.toLocaleString()} records` : 'Verifying…'}
        </Text>
        <Progress value={percent} size="sm" animated aria-label={`${Math.floor(percent)}% verified`} />
      </div>
      <Button variant="default" size="xs" onClick={() => void cancel()} data-testid="verify-cancel">Cancel</Button>
    </Group>
  );
}
