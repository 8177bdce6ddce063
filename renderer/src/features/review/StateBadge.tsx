import { Badge } from '@mantine/core';
import type { ReviewState } from '../../../../contract/review';

export const STATE_LABELS: Readonly<Record<ReviewState, string>> = {
  unreviewed: 'Unreviewed', reviewed: 'Reviewed', flagged: 'Flagged', 'signed-off': 'Signed off',
};

export const STATE_COLORS: Readonly<Record<ReviewState, string>> = {
  unreviewed: 'gray', reviewed: 'blue', flagged: 'red', 'signed-off': 'teal',
};

export function StateBadge({ state }: { state: ReviewState }) {
  return <Badge size="sm" variant={state === 'unreviewed' ? 'outline' : 'light'} color={STATE_COLORS[state]} data-testid="review-state" data-state={state}>{STATE_LABELS[state]}</Badge>;
}
