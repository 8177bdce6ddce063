import { migration0001 } from './0001-initial-schema';
import { migration0002 } from './0002-tickets';
import { migration0003 } from './0003-session-log';
import { migration0004 } from './0004-site-input-recording';
import { migration0005 } from './0005-vpn-profile-copies';
import { migration0006 } from './0006-host-key-pins';
import { migration0007 } from './0007-accountability';
import { migration0008 } from './0008-policy-journal';
import { migration0009 } from './0009-signed-approvals';
import { migration0010 } from './0010-review';
import { migration0011 } from './0011-vnc-endpoint';
import { migration0012 } from './0012-team-profiles';
import { migration0013 } from './0013-note-sync';
import { migration0014 } from './0014-ticket-sync';
import { migration0015 } from './0015-team-approvals';
import { migration0016 } from './0016-site-files';
import { migration0017 } from './0017-transfer-events';
import { migration0018 } from './0018-ticket-evidence';
import { migration0019 } from './0019-notes-search';
import { migration0020 } from './0020-log-filter-indexes';
import { migration0021 } from './0021-staged-bundle-imports';
import { migration0022 } from './0022-team-log-indexes';
import type { Migration } from './types';

/** Forward-only, in order. Never edit a migration that has shipped; add the next one. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008, migration0009, migration0010, migration0011, migration0012, migration0013, migration0014, migration0015, migration0016, migration0017, migration0018, migration0019, migration0020, migration0021, migration0022];
export type { Migration };
