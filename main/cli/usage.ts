export const USAGE = `Usage: switchboard [--data-dir DIR] <command>

Site profiles
  sites import FILE            import a profile file (YAML or JSON; "-" reads stdin); all or nothing
  sites export [FILE]          write every profile as YAML to FILE, or to stdout
  sites list [--json]          customers, sites and their hosts

Notes
  notes search QUERY [--json]  full-text search across all notes (exit 1 when nothing matches)

Credentials (secrets live in the OS keychain, never in the database)
  credentials list [--json]
  credentials set NAME [--kind password|private_key] [--key FILE]   secret from stdin, or a key file
  credentials test NAME
  credentials delete NAME

Health
  doctor                       check the data dir, database, keychain, Electron and system tools

Options
  --data-dir DIR               data directory (default: $SWITCHBOARD_DATA_DIR, else $XDG_DATA_HOME/switchboard)
  -h, --help                   this help
  --version                    print the version

Exit codes: 0 success · 1 a check failed or nothing matched · 2 bad usage or bad input`;
