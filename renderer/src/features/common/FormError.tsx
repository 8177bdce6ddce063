import { Alert } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';

/** The error a save returned that is not about one field (conflict, keychain, connection). */
export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={16} />} data-testid="error-alert" role="alert">
      {message}
    </Alert>
  );
}
