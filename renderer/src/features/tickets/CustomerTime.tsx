import { Text } from '@mantine/core';
import { engineerTimeHint, formatCustomerTime } from '../../lib/zoned-time';

/** A time on the customer's clock (zone named), with the engineer's own time on hover. */
export function CustomerTime({ iso, timeZone, testId }: { iso: string | null | undefined; timeZone: string; testId?: string }) {
  const hint = engineerTimeHint(iso);
  return (
    <Text span inherit title={hint} data-testid={testId} data-iso={iso ?? undefined} style={{ textDecoration: hint ? 'underline dotted' : undefined, textUnderlineOffset: 3, cursor: hint ? 'help' : undefined }}>
      {formatCustomerTime(iso, timeZone)}
    </Text>
  );
}
