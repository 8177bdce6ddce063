import { Group, Stack, Text } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { IconFileImport, IconUpload, IconX } from '@tabler/icons-react';
import { useProfiles } from '../../stores/profiles';
import { PROFILE_ACCEPT, importProfileFile } from './profileActions';

const MIME = { 'application/yaml': PROFILE_ACCEPT, 'text/yaml': PROFILE_ACCEPT, 'application/json': ['.json'], 'text/plain': PROFILE_ACCEPT, 'application/octet-stream': PROFILE_ACCEPT };

export function ImportDropzone() {
  const importing = useProfiles((s) => s.importing);
  return (
    <Dropzone
      onDrop={(files) => files[0] && void importProfileFile(files[0])}
      onReject={(rejections) => rejections[0] && void importProfileFile(rejections[0].file)}
      accept={MIME}
      maxFiles={1}
      multiple={false}
      loading={importing}
      data-testid="import-dropzone"
      aria-label="Import profile file"
    >
      <Group justify="center" gap="md" mih={110} style={{ pointerEvents: 'none' }}>
        <Dropzone.Accept><IconUpload size={36} stroke={1.5} /></Dropzone.Accept>
        <Dropzone.Reject><IconX size={36} stroke={1.5} /></Dropzone.Reject>
        <Dropzone.Idle><IconFileImport size={36} stroke={1.5} color="var(--mantine-color-dimmed)" /></Dropzone.Idle>
        <Stack gap={2}>
          <Text size="sm" fw={500}>Drop a site profile file here, or click to choose one</Text>
          <Text size="xs" c="dimmed">YAML or JSON (.yaml, .yml, .json). All-or-nothing: one bad field and nothing is written.</Text>
        </Stack>
      </Group>
    </Dropzone>
  );
}

/** Drag a profile anywhere onto the window. */
export function FullScreenImport() {
  return (
    <Dropzone.FullScreen
      onDrop={(files) => files[0] && void importProfileFile(files[0])}
      onReject={(rejections) => rejections[0] && void importProfileFile(rejections[0].file)}
      accept={MIME}
      maxFiles={1}
      multiple={false}
    >
      <Group justify="center" mih="60vh" style={{ pointerEvents: 'none' }}>
        <IconFileImport size={48} stroke={1.5} />
        <Text size="lg">Drop to import profiles</Text>
      </Group>
    </Dropzone.FullScreen>
  );
}
