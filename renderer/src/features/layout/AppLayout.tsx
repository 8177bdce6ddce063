import { AppShell, ScrollArea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Header } from './Header';
import { NavTree } from './NavTree';
import { RouteView } from './RouteView';
import { CommandPalette } from '../palette/CommandPalette';
import { FullScreenImport } from '../profiles/ImportDropzone';
import { ImportFailureAlert } from '../profiles/ImportFailureAlert';
import { ConnectionBanner } from './ConnectionBanner';
import { TerminalsPage } from '../terminals/TerminalsPage';
import { useUi } from '../../stores/ui';

export function AppLayout() {
  const [navOpened, { toggle }] = useDisclosure();
  const onTerminals = useUi((s) => s.route.name === 'terminals');
  return (
    <AppShell
      header={{ height: 52 }}
      navbar={{ width: 272, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Header navOpened={navOpened} onToggleNav={toggle} />
      </AppShell.Header>
      <AppShell.Navbar>
        <AppShell.Section grow component={ScrollArea} px="xs" py="sm">
          <NavTree />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <ConnectionBanner />
        <ImportFailureAlert />
        <RouteView />
        <TerminalsPage visible={onTerminals} />
      </AppShell.Main>
      <CommandPalette />
      <FullScreenImport />
    </AppShell>
  );
}
