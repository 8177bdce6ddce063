import { Alert, Switch } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';

/** Said wherever input recording is turned on: keystrokes include passwords typed at remote prompts. */
export const RECORD_INPUT_WARNING =
  'Every keystroke is recorded — including passwords typed at a remote prompt (sudo, su, a database shell). ' +
  'Turn it on only when the customer asked for keystroke audits; the change is kept with your name.';

/** The site form's switch for recording SSH keystrokes, with the warning while it is on. */
export function RecordInputSwitch({ checked, onChange }: { checked: boolean; onChange: (on: boolean) => void }) {
  return (
    <>
      <Switch
        label="Record typed input in SSH recordings"
        description="Off by default: recordings keep what the host printed. On: they also keep what the engineer typed."
        checked={checked}
        onChange={(e) => onChange(e.currentTarget.checked)}
        data-testid="site-form-record-input"
      />
      {checked && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={16} />} data-testid="site-form-record-input-warning">
          {RECORD_INPUT_WARNING}
        </Alert>
      )}
    </>
  );
}
