import { Alert, Anchor, Badge, Card, Group, Image, Loader, Modal, SimpleGrid, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconAlertTriangle, IconPhoto, IconShieldCheck } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { ScreenshotImageView, Ticket, TicketScreenshotView } from '../../../../contract/models';
import { api } from '../../api/transport';
import { formatDateTime } from '../../lib/format';
import { errorMessage } from '../../lib/validation';

const dataUrl = (image: ScreenshotImageView) => `data:image/png;base64,${image.png}`;

/** One screenshot's picture, fetched (and its hash checked by the core) when it is shown. */
function useScreenshot(ticketId: number, sha256: string): { image: ScreenshotImageView | null; error: string | null } {
  const [image, setImage] = useState<ScreenshotImageView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    api['tickets.screenshot']({ id: ticketId, sha256 }).then((i) => alive && setImage(i), (e: unknown) => alive && setError(errorMessage(e)));
    return () => { alive = false; };
  }, [ticketId, sha256]);
  return { image, error };
}

function Thumbnail({ ticketId, shot, onOpen }: { ticketId: number; shot: TicketScreenshotView; onOpen: () => void }) {
  const { image, error } = useScreenshot(ticketId, shot.sha256);
  return (
    <UnstyledButton onClick={onOpen} data-testid="ticket-screenshot" data-sha256={shot.sha256} aria-label={`Screenshot of ${shot.host ?? 'the host'}, ${formatDateTime(shot.savedAt)}`}>
      <Stack gap={2}>
        {image ? <Image src={dataUrl(image)} h={84} fit="contain" radius="sm" bg="dark.8" /> : error ? <Alert color="red" variant="light" p={6}><Text size="xs">{error}</Text></Alert> : <Group h={84} justify="center"><Loader size="sm" /></Group>}
        <Group gap={4} wrap="nowrap">
          <Text size="xs" fw={500} truncate>{shot.host ?? '—'}</Text>
          {image && !image.sha256Matches && <IconAlertTriangle size={12} color="var(--mantine-color-red-6)" />}
        </Group>
        <Text size="xs" c="dimmed">{formatDateTime(shot.savedAt)}</Text>
      </Stack>
    </UnstyledButton>
  );
}

function ScreenshotModal({ ticketId, shot, onClose }: { ticketId: number; shot: TicketScreenshotView; onClose: () => void }) {
  const { image, error } = useScreenshot(ticketId, shot.sha256);
  return (
    <Modal opened onClose={onClose} size="90%" title={`Screenshot · ${shot.host ?? ''} · ${formatDateTime(shot.savedAt)}`}>
      <Stack gap="sm" data-testid="ticket-screenshot-view">
        <Group gap="xs">
          {image && (image.sha256Matches
            ? <Badge variant="light" color="teal" leftSection={<IconShieldCheck size={12} />} data-testid="screenshot-hash">hash verified</Badge>
            : <Badge variant="filled" color="red" leftSection={<IconAlertTriangle size={12} />} data-testid="screenshot-hash">the file does not match its recorded SHA-256</Badge>)}
          <Text size="xs" c="dimmed">by {shot.engineer} · session <span className="sb-mono">{shot.sessionId.slice(0, 8)}</span>{shot.live ? ' (still open)' : ''}</Text>
          <Text size="xs" c="dimmed" className="sb-mono">SHA-256 {shot.sha256}</Text>
          {image && <Anchor size="xs" href={dataUrl(image)} download={`${shot.host ?? 'screenshot'}-${shot.savedAt.replace(/[:.]/g, '-')}.png`}>Save PNG</Anchor>}
        </Group>
        {error && <Alert color="red" variant="light">{error}</Alert>}
        {image ? <Image src={dataUrl(image)} fit="contain" mah="75vh" /> : !error && <Loader />}
      </Stack>
    </Modal>
  );
}

/** The screenshots engineers saved to this ticket from its VNC sessions ("Save screenshot to ticket"). */
export function ScreenshotsCard({ ticket }: { ticket: Ticket }) {
  const [shots, setShots] = useState<TicketScreenshotView[] | null>(null);
  const [open, setOpen] = useState<TicketScreenshotView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    api['tickets.screenshots']({ id: ticket.id }).then((s) => alive && setShots(s), (e: unknown) => alive && setError(errorMessage(e)));
    return () => { alive = false; };
  }, [ticket.id, ticket.events.length]);
  if (!error && (!shots || shots.length === 0)) return null;
  return (
    <Card withBorder padding="md" data-testid="ticket-screenshots">
      <Group gap={6} mb="sm">
        <IconPhoto size={16} />
        <Text fw={600} size="sm">Screenshots</Text>
        {shots && <Badge size="xs" variant="default">{shots.length}</Badge>}
      </Group>
      {error && <Alert color="red" variant="light">{error}</Alert>}
      {shots && (
        <SimpleGrid cols={3} spacing="sm">
          {shots.map((shot) => <Thumbnail key={`${shot.sessionId}-${shot.sha256}`} ticketId={ticket.id} shot={shot} onOpen={() => setOpen(shot)} />)}
        </SimpleGrid>
      )}
      {open && <ScreenshotModal ticketId={ticket.id} shot={open} onClose={() => setOpen(null)} />}
    </Card>
  );
}
