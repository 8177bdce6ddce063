import { Alert } from '@mantine/core';
import { IconPlugConnectedX } from '@tabler/icons-react';
import { useApp } from '../../stores/app';

export function ConnectionBanner() {
  const error = useApp((s) => s.connectionError);
  if (!error) return null;
  return (
    <Alert color="red" variant="light" icon={<IconPlugConnectedX size={18} />} title="No connection to the Switchboard backend" mb="md">
      {error}
    </Alert>
  );
}
