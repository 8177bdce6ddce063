import { CloseButton, Kbd, Loader, Paper, Popover, Stack, Text, TextInput, Tooltip, UnstyledButton } from '@mantine/core';
import { useDebouncedCallback, useHotkeys } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { useNotes } from '../../stores/notes';
import { navigate, useUi } from '../../stores/ui';
import { Snippet } from './Snippet';
import { matchPlace, openMatch } from './openMatch';

const SEARCH_PAUSE_MS = 100;

export function NotesSearchBox() {
  const route = useUi((s) => s.route);
  const { results, searching, search } = useNotes();
  const onSearchPage = route.name === 'search';
  const [text, setText] = useState(onSearchPage ? route.q : '');
  const [focused, setFocused] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  useHotkeys([['/', () => inputRef.current?.focus(), { preventDefault: true }]]);

  useEffect(() => {
    if (route.name === 'search') setText(route.q);
    // Leaving for a note, a site or the search page closes the suggestions.
    setFocused(false);
  }, [route]);

  // A search answers in a few ms even at 100k notes and from the first letter (prefix indexes, see
  // docs/performance.md), so the pause only spares a request per key while someone types quickly;
  // the store drops an answer that a later keystroke overtook.
  const debounced = useDebouncedCallback((q: string) => {
    if (onSearchPage) navigate({ name: 'search', q }, { replace: true });
    else void search(q);
  }, SEARCH_PAUSE_MS);

  const change = (q: string) => {
    setText(q);
    debounced(q);
  };

  const suggestions = !onSearchPage && focused && text.trim() !== '' ? (results ?? []).slice(0, 6) : [];
  return (
    <Popover opened={suggestions.length > 0 || (focused && !onSearchPage && searching && text.trim() !== '')} width="target" position="bottom-start" shadow="md" trapFocus={false} returnFocus={false}>
      <Popover.Target>
        <TextInput
          size="xs"
          ref={inputRef}
          aria-label="Search notes"
          placeholder="Search notes…"
          leftSection={<IconSearch size={14} />}
          rightSection={searching ? <Loader size={12} /> : text ? <CloseButton size="xs" aria-label="Clear search" onClick={() => change('')} /> : <Tooltip label="Press / to search notes"><Kbd size="xs">/</Kbd></Tooltip>}
          rightSectionWidth={36}
          value={text}
          onChange={(e) => change(e.currentTarget.value)}
          onFocus={() => setFocused(true)}
          onClick={() => setFocused(true)}
          onInput={() => setFocused(true)}
          onBlur={() => setTimeout(() => setFocused(false), 150)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              debounced.cancel?.();
              navigate({ name: 'search', q: text });
            }
            if (e.key === 'Escape') e.currentTarget.blur();
          }}
          data-testid="notes-search"
        />
      </Popover.Target>
      <Popover.Dropdown p={4}>
        <Stack gap={0}>
          {suggestions.map((m) => (
            <UnstyledButton key={m.noteId} onMouseDown={(e) => e.preventDefault()} onClick={() => openMatch(m)} p={6} style={{ borderRadius: 4 }} data-testid="search-suggestion">
              <Text size="xs" c="dimmed" truncate>{matchPlace(m)}</Text>
              <Text size="sm" fw={500} truncate>{m.title}</Text>
              <Text size="xs" lineClamp={1}><Snippet parts={m.snippet} /></Text>
            </UnstyledButton>
          ))}
          <Paper p={6}><Text size="xs" c="dimmed">Press Enter for all results</Text></Paper>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
