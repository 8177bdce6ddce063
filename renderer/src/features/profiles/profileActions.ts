import { notifications } from '@mantine/notifications';
import { api } from '../../api/transport';
import { ApiError } from '../../../../contract/errors';
import { useCustomers } from '../../stores/customers';
import { useProfiles } from '../../stores/profiles';
import { refreshAll } from '../../stores/refresh';
import { navigate } from '../../stores/ui';
import { downloadText } from '../../lib/download';
import { errorMessage } from '../../lib/validation';
import { plural } from '../../lib/format';

export const PROFILE_ACCEPT = ['.yaml', '.yml', '.json'];
const ACCEPTED = /\.(ya?ml|json)$/i;

/** Reads the file in the window and hands its text to the backend; import is all-or-nothing. */
export async function importProfileFile(file: File): Promise<void> {
  const profiles = useProfiles.getState();
  if (!ACCEPTED.test(file.name)) {
    profiles.setFailure({ fileName: file.name, message: `${file.name} is not a profile file: choose a .yaml, .yml or .json file.`, issues: [] });
    return;
  }
  profiles.setImporting(true);
  profiles.setFailure(null);
  try {
    const text = await file.text();
    const before = new Set((await api['customers.list']({})).map((c) => c.id));
    const summary = await api['profiles.import']({ text, fileName: file.name });
    await refreshAll();
    const after = useCustomers.getState().list ?? [];
    const first = after.find((c) => !before.has(c.id)) ?? after[0];
    notifications.show({
      color: 'teal',
      title: `Imported ${file.name}`,
      message: `${plural(summary.customers, 'customer')}, ${plural(summary.sites, 'site')}, ${plural(summary.hosts, 'host')}, ${plural(summary.notes, 'note')}.`,
    });
    if (first) navigate({ name: 'customer', id: first.id });
  } catch (error) {
    profiles.setFailure({
      fileName: file.name,
      message: errorMessage(error),
      issues: error instanceof ApiError ? (error.issues ?? []) : [],
    });
  } finally {
    profiles.setImporting(false);
  }
}

export async function exportProfiles(): Promise<void> {
  try {
    const { text, fileName } = await api['profiles.export']({});
    downloadText(text, fileName, fileName.endsWith('.json') ? 'application/json' : 'application/yaml');
    notifications.show({ color: 'teal', title: 'Profiles exported', message: `Saved as ${fileName}. Secrets are never part of an export.` });
  } catch (error) {
    notifications.show({ color: 'red', title: 'Export failed', message: errorMessage(error) });
  }
}

/** The header owns the one file input; the palette and the empty state open it through here. */
let fileInput: HTMLInputElement | null = null;
export function registerProfileInput(input: HTMLInputElement | null): void {
  fileInput = input;
}
export function pickProfileFile(): void {
  fileInput?.click();
}
