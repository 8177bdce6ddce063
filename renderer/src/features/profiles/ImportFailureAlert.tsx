import { Alert, List, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useProfiles } from '../../stores/profiles';

/** Import is all-or-nothing, so the alert says so and lists every problem, each saying where it is in words. */
export function ImportFailureAlert() {
  const failure = useProfiles((s) => s.failure);
  const setFailure = useProfiles((s) => s.setFailure);
  if (!failure) return null;
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title={`Could not import ${failure.fileName} — nothing was written`}
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={() => setFailure(null)}
      data-testid="error-alert"
      role="alert"
      mb="md"
    >
      <Text size="sm">{failure.message}</Text>
      {failure.issues.length > 0 && (
        <List size="sm" mt="xs" spacing={4} data-testid="import-issues">
          {failure.issues.map((issue, i) => (
            <List.Item key={i}>
              {issue.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
