import { createTheme, type MantineColorsTuple } from '@mantine/core';

/** A calm slate-indigo: reads as "tool", not "marketing", in both schemes. */
const switchboard: MantineColorsTuple = [
  '#eef1fc', '#dbe0f2', '#b3bee5', '#899ad8', '#667bcd', '#5068c7', '#445ec5', '#364eae', '#2d459c', '#213b8a',
];

export const theme = createTheme({
  primaryColor: 'switchboard',
  colors: { switchboard },
  primaryShade: { light: 7, dark: 5 },
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, "SF Mono", "Cascadia Mono", "JetBrains Mono", Menlo, Consolas, monospace',
  headings: { fontWeight: '600' },
  fontSizes: { md: '0.9rem' },
  components: {
    Button: { defaultProps: { size: 'sm' } },
    TextInput: { defaultProps: { size: 'sm' } },
    Tooltip: { defaultProps: { openDelay: 300, withArrow: true } },
    Badge: { defaultProps: { radius: 'sm' }, styles: { root: { textTransform: 'none', fontWeight: 500 } } },
  },
});
