import { useCallback } from 'react';
import { PROFILE_ACCEPT, importProfileFile, registerProfileInput } from './profileActions';

/** Hidden <input type=file>; buttons click it, tests drive it with setInputFiles. */
export function ProfileFileInput() {
  const ref = useCallback((node: HTMLInputElement | null) => registerProfileInput(node), []);
  return (
    <input
      ref={ref}
      type="file"
      accept={PROFILE_ACCEPT.join(',')}
      aria-label="Import profile file"
      data-testid="import-file-input"
      style={{ display: 'none' }}
      onChange={(event) => {
        const file = event.currentTarget.files?.[0];
        event.currentTarget.value = '';
        if (file) void importProfileFile(file);
      }}
    />
  );
}
