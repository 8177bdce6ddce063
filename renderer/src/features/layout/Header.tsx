import { ActionIcon, Box, Burger, Button, Group, Text, Tooltip, UnstyledButton, useMantineColorScheme, useComputedColorScheme } from '@mantine/core';
import { spotlight } from '@mantine/spotlight';
import { IconDownload, IconMoon, IconPlugConnected, IconSun, IconUpload } from '@tabler/icons-react';
import { NotesSearchBox } from '../search/NotesSearchBox';
import { ProfileFileInput } from '../profiles/ProfileFileInput';
import { exportProfiles, pickProfileFile } from '../profiles/profileActions';
import { Shortcut } from '../common/Shortcut';
import { navigate } from '../../stores/ui';
import { useProfiles } from '../../stores/profiles';
import { TeamSyncBadge } from './TeamSyncBadge';

function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light');
  return (
    <Tooltip label={computed === 'dark' ? 'Light theme' : 'Dark theme'}>
      <ActionIcon variant="subtle" color="gray" aria-label="Toggle color scheme" onClick={() => setColorScheme(computed === 'dark' ? 'light' : 'dark')}>
        {computed === 'dark' ? <IconSun size={18} /> : <IconMoon size={18} />}
      </ActionIcon>
    </Tooltip>
  );
}

export function Header({ navOpened, onToggleNav }: { navOpened: boolean; onToggleNav: () => void }) {
  const importing = useProfiles((s) => s.importing);
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="md">
      <Group gap="sm" wrap="nowrap" style={{ flexShrink: 0 }}>
        <Burger opened={navOpened} onClick={onToggleNav} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
        <UnstyledButton onClick={() => navigate({ name: 'home' })} aria-label="Switchboard home">
          <Group gap={8} wrap="nowrap">
            <IconPlugConnected size={22} color="var(--mantine-primary-color-filled)" />
            <Text fw={700} size="md" style={{ letterSpacing: '-0.01em' }}>Switchboard</Text>
          </Group>
        </UnstyledButton>
      </Group>
      <Box style={{ flex: 1, maxWidth: 480 }}>
        <NotesSearchBox />
      </Box>
      <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
        <TeamSyncBadge />
        <Tooltip label="Jump to a customer, site or host">
          <UnstyledButton className="sb-kbd-hint" onClick={() => spotlight.open()} aria-label="Command palette (Ctrl+K)" data-testid="open-palette" visibleFrom="md">
            <Group gap={6} wrap="nowrap">
              <Text size="xs" c="dimmed">Command palette</Text>
              <Shortcut keys="mod+K" />
            </Group>
          </UnstyledButton>
        </Tooltip>
        <ProfileFileInput />
        <Tooltip label="Import a site profile file (.yaml, .yml, .json)">
          <Button variant="default" size="xs" leftSection={<IconUpload size={14} />} onClick={pickProfileFile} loading={importing} data-testid="import-button">
            Import
          </Button>
        </Tooltip>
        <Tooltip label="Export all profiles as YAML (no secrets)">
          <Button variant="default" size="xs" leftSection={<IconDownload size={14} />} onClick={() => void exportProfiles()} data-testid="export-button">
            Export
          </Button>
        </Tooltip>
        <ColorSchemeToggle />
      </Group>
    </Group>
  );
}
