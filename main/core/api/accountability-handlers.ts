import type { ApiHandlers } from '../../../contract/api';
import type { CoreServices } from '../services';

type AccountabilityMethods =
  | 'identity.get' | 'identity.init'
  | 'team.roster' | 'team.previewRoster' | 'team.importRoster' | 'team.signRoster'
  | 'log.checkpoint' | 'log.witnessStatus' | 'log.bundle' | 'log.witness' | 'review.import'
  | 'review.importStart' | 'review.importJob' | 'review.importCancel';

/** Identity, team roster, checkpoints and witnessing, as contract methods over the accountability service. */
export function createAccountabilityHandlers({ services }: { services: CoreServices }): Pick<ApiHandlers, AccountabilityMethods> {
  const { accountability } = services;
  return {
    'identity.get': async () => ({ identity: await accountability.identity() }),
    'identity.init': (input) => accountability.initIdentity(input),
    'team.roster': async () => ({ roster: await accountability.roster() }),
    'team.previewRoster': ({ signedText }) => accountability.previewRoster(signedText),
    'team.importRoster': ({ signedText, trustLead }) => accountability.importRoster(signedText, trustLead),
    'team.signRoster': async ({ yaml }) => ({ signedText: await accountability.signRoster(yaml) }),
    'log.checkpoint': () => accountability.checkpoint(),
    'log.witnessStatus': () => accountability.witnessStatus(),
    'log.bundle': ({ since }) => accountability.bundle(since ? { since } : {}),
    'log.witness': ({ text }) => accountability.importWitness(text),
    'review.import': ({ text }) => accountability.importBundle(text),
    'review.importStart': ({ text }) => accountability.importBundleStart(text),
    'review.importJob': ({ jobId }) => accountability.importBundleJob(jobId),
    'review.importCancel': ({ jobId }) => accountability.importBundleCancel(jobId),
  };
}
