/**
 * The method names alone, for the preload script: it must expose exactly the contract's methods
 * without bundling zod into the sandboxed preload. `PRELOAD_NAMES_MATCH` in api.ts fails to compile and
 * tests/unit/preload-method-names.test.ts fails when this list and `contract` differ.
 */
export const API_METHOD_NAMES = [
  'app.info', 'navigation.index',
  'customers.list', 'customers.get', 'customers.create', 'customers.update', 'customers.delete',
  'sites.get', 'sites.create', 'sites.update', 'sites.delete',
  'hosts.create', 'hosts.update', 'hosts.delete', 'hosts.replaceHostKey',
  'trash.restore',
  'notes.get', 'notes.create', 'notes.update', 'notes.delete', 'notes.search', 'notes.revisions', 'notes.restoreRevision',
  'credentials.list', 'credentials.set', 'credentials.delete', 'credentials.test',
  'profiles.import', 'profiles.export',
  'tickets.list', 'tickets.get', 'tickets.open', 'tickets.classify', 'tickets.act',
  'approvals.list', 'approvals.request', 'approvals.inspect', 'approvals.sign', 'approvals.import', 'approvals.inbox', 'approvals.inboxText',
  'policy.check', 'policy.decide', 'launches.open', 'launches.stop', 'log.summarize', 'launches.running',
  'connections.recent',
  'log.list', 'log.get', 'log.verify', 'log.verifyStart', 'log.verifyJob', 'log.verifyCancel', 'log.exportStart', 'log.exportJob', 'log.exportCancel', 'log.exportText', 'log.export', 'log.engineers', 'log.recording',
  'log.checkpoint', 'log.witnessStatus', 'log.bundle', 'log.witness', 'review.import', 'review.importStart', 'review.importJob', 'review.importCancel',
  'identity.get', 'identity.init', 'team.roster', 'team.previewRoster', 'team.importRoster', 'team.signRoster', 'team.status', 'team.syncNow', 'team.conflicts', 'team.resolveConflict', 'team.importWaitingRoster',
  'terminals.open', 'terminals.answerHostKey', 'terminals.answerPrompt', 'terminals.close', 'terminals.list',
  'links.open',
  'vnc.open', 'vnc.close', 'vnc.list', 'vnc.saveScreenshot', 'log.vncRecording', 'tickets.screenshots', 'tickets.screenshot',
  'tickets.evidence', 'tickets.evidenceExport', 'tickets.evidenceEndRcaWait',
  'forwards.open', 'forwards.list', 'forwards.close',
  'files.list', 'files.download', 'files.upload', 'files.uploadChunk', 'files.downloadFolder', 'files.makeFolder', 'files.cancel', 'files.transfers', 'files.folderDownloads', 'files.cancelFolder',
  'consoles.open', 'consoles.close',
  'review.list', 'review.get', 'review.facets', 'review.mark', 'review.recording', 'review.vncRecording', 'review.export', 'review.weekly',
] as const;

/** One of the contract's method names. */
export type ApiMethodName = (typeof API_METHOD_NAMES)[number];

/** The single IPC channel the contract travels on (one channel, method name in the payload). */
export const IPC_CHANNEL = 'switchboard:call';
