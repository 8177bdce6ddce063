export const USAGE = `Usage: switchboard [--data-dir DIR] <command>

Site profiles
  sites import FILE [--ticket T]
                               import a profile file (YAML or JSON; "-" reads stdin); all or nothing
  sites export [FILE]          write every profile as YAML to FILE, or to stdout
  sites list [--json]          customers, sites and their hosts
  sites set --site "CUSTOMER/SITE" --record-input on|off [--ticket T]
                               record SSH keystrokes for this site (off by default; they include
                               passwords typed at remote prompts); each change is kept with who made it
  hosts repin --site "CUSTOMER/SITE" --host HOST --ticket TICKET --fingerprint SHA256:… --reason TEXT
                               replace a pinned SSH host key that changed, once the customer confirmed
                               the new one; needs a ticket the policy accepts; recorded in the session log

Notes
  notes search QUERY [--json]  full-text search across all notes (exit 1 when nothing matches)

Tickets (no session without one)
  tickets [list] [--site "CUSTOMER/SITE"] [--status open|resolved|closed] [--json]
               the tickets and their SLA clocks; on a data dir in a team store, the team's as of the last sync
  tickets open --site "CUSTOMER/SITE" --id TICKET [--type incident|change] [--component C]
               [--cannot-take-calls N] [--cannot-login N] [--calls-rejected N --calls N] [--json]
  tickets classify --seats N [--calls N] --component C [--cannot-take-calls N] [--cannot-login N]
               [--calls-rejected N] [--json]          severity and production loss, with the computation
  tickets evidence REF [--json]   the ticket's evidence files, each hash checked now (exit 1 if one is altered or missing)
  tickets attach REF FILE [--end-rca-wait] [--json]
               a local file as evidence; the first file while the ticket waits for debug data may end the wait
  tickets end-rca-wait REF SHA256  confirm that this evidence file is the debug data the RCA waited for
  tickets evidence-export REF OUT.tar [--json]
               one archive of the evidence with manifest.json, MANIFEST.txt and SHA256SUMS (never overwrites)

Access (every attempt is decided by the policy; connect logs it, allowed or denied)
  policy check --site "CUSTOMER/SITE" --target TARGET --method M --ticket TICKET [--json]
               a dry run: exit 0 allowed, 1 denied; logs nothing
  connect --site "CUSTOMER/SITE" --target TARGET --method M --ticket TICKET [--print]
               launch (deep link, meeting, VPN client) or, with --print, print the link or command
               meetings (webex, teams) need --presenter-confirmed; exit 1 when denied
  connect --method ssh --site "CUSTOMER/SITE" --target HOST --ticket TICKET [--accept-new-host-key] [-- COMMAND…]
               an interactive shell here, or COMMAND's exit status; host keys pinned, recorded, logged
               --forward [LOCALPORT:]HOST:PORT (repeatable): 127.0.0.1 → a host of the site, while the session lasts
  connect --method vnc --site "CUSTOMER/SITE" --target HOST --ticket TICKET --print [--view-only] [--json]
               the plan: approved IP, port, jump host, the security type the server must offer
  connect --method vnc --site "CUSTOMER/SITE" --target HOST --ticket TICKET --snapshot FILE.png [--json]
               one full frame through the policy, relay and sign-in, as a PNG; the session is logged and recorded

Files (SFTP on an SSH session to the host; the site's file-transfer setting decides; each transfer is logged in that session)
  files get --site "CUSTOMER/SITE" --target HOST --ticket TICKET REMOTE_PATH [LOCAL_DIR] [--evidence] [-r] [--json]
               download into LOCAL_DIR (default here), never replacing a file ("name (1).log"); a cut-off
               download resumes when run again; --evidence keeps it in the ticket's evidence instead
  files put --site "CUSTOMER/SITE" --target HOST --ticket TICKET LOCAL_PATH REMOTE_DIR [--overwrite] [-r] [--json]
               upload to REMOTE_DIR/NAME; an existing remote file is refused unless --overwrite
               -r: a folder, file by file (symlinks not followed), into a new folder of its name
               both: the size and SHA-256 last; exit 1 when refused (with the reason) or failed, 130 cancelled (Ctrl-C)

Exception approvals (a method the site has not approved, signed by a lead; its lead time is not part of the SLA)
  approvals request --site "CUSTOMER/SITE" --method M --ticket T --reason TEXT --until DATE [--host H] --out FILE
               a request signed by your identity, to send to a lead
  approvals sign FILE --out FILE     a lead of the roster countersigns a request (exit 1 for anyone else)
  approvals import FILE              exit 1 unless a lead of the roster signed your own request, unchanged and unexpired
  approvals list --site "CUSTOMER/SITE" [--json]

Session log (append-only, hash-chained)
  log list [--json] [--mine|--team] [--ticket T] [--site "CUSTOMER[/SITE]"] [--method M] [--outcome O] [--engineer E] [--from DATE]
               [--to DATE] [--limit N|--all] [--kind session|policy-change|approval|team|review]
               newest first, 200 unless --limit N (stderr says how many more match); --limit 0 or --all: every
               record, streamed a page at a time; a lead's data dir in a team store: the team's log as of the
               last sync (--mine: your own only)
  log export --format csv|json|sessions-csv|sessions-json [FILE]
                               csv/json: one row per event (json is what log verify checks);
                               sessions-csv/sessions-json: one row per session; written a page at a time,
                               progress on stderr (a terminal), Ctrl-C cancels (exit 130, FILE left as it was)
  log verify [EXPORT.json]     exit 0 intact; 1 naming the first edited/deleted/inserted/reordered record, or
                               records a signed checkpoint covers that are missing or rewritten (a cut-off tail);
                               also says how much no lead has witnessed yet; progress on stderr (a terminal),
                               Ctrl-C cancels (exit 130, nothing changed)
  log checkpoint [--json]      sign a checkpoint of the log now and print it (a C2SP signed note)
  log bundle --out FILE [--since DATE]
                               a signed bundle for your lead: the records since the last bundle a lead accepted
                               (or since DATE), their recordings, a new checkpoint and a consistency proof
  log witness FILE             take back the checkpoint your lead cosigned; the next bundle starts after it

Identity and team (your key pair: the private key stays in the OS keychain)
  identity init --name NAME --email EMAIL [--role engineer|lead] [--json]
  identity show [--json]       {name, email, role, public_key: "ed25519:…", fingerprint}; exit 1 without one
  team roster sign FILE --out SIGNED
                               a lead signs the team roster YAML (exit 1 for anyone else)
  team roster import SIGNED [--trust-lead FINGERPRINT]
                               the first roster needs the signing lead's fingerprint, confirmed with them;
                               later ones must be signed by a lead of the roster trusted now
  team roster show [--json]
  team init --db URL           the first lead: create or migrate the team store (PostgreSQL) and its roles;
                               URL of a role allowed to create roles (its password in the URL or on stdin), not kept
  team add-member --name N --email E --role engineer|lead [--json]
                               a lead: a login role and a one-time join secret ({name, login, join_secret})
  team join --db URL --name N  the join secret on stdin; your login's own password goes to the keychain; first sync
  team sync [--json]           push your records now; exit 1 when the store is unreachable (nothing is lost)
  team status [--json]         waiting records, last sync, offline since, last witness, profile conflicts
  team conflicts [--all] [--json]
                               profile edits the team store did not take (a newer version came first, or only
                               leads may edit), with what differs; kept until redone or dropped
  team redo ID | team drop ID  redo a kept edit on top of the store's version (pushed at the next sync), or drop it
  team set profile-editors leads|everyone
                               a lead: who may edit the team's profiles (the database enforces it)

Review (a lead)
  review import FILE [--witness-out FILE]
                               verify an engineer's bundle and import all of it or none; exit 1 naming a forged
                               signature, a fork, a gap, a replayed bundle, a swapped recording or an edited,
                               deleted, inserted or reordered record; writes the cosigned checkpoint (FILE.witness)
  review list [--engineer E] [--customer C] [--site SITE|CUSTOMER/SITE] [--ticket T] [--method M] [--outcome O]
               [--state unreviewed|reviewed|flagged|signed-off] [--from DATE] [--to DATE] [--limit N] [--json]
                               imported sessions, newest first (50 unless --limit); --json: one object per session
  review mark SESSION --state reviewed|flagged|signed-off|unreviewed [--comment TEXT]
                               a lead's decision, signed in your log; flagged needs --comment; SESSION is the
                               engineer's session id (or its first 8+ characters); exit 1 unless you are a lead
  review export --format csv|json [FILE] [filters as review list]
                               the review report: csv one row per session; json signed by you (a lead)

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
