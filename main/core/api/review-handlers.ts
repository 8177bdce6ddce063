import type { ApiHandlers } from '../../../contract/api';
import type { CoreServices } from '../services';

type ReviewMethods = 'review.list' | 'review.get' | 'review.facets' | 'review.mark' | 'review.recording' | 'review.vncRecording' | 'review.export' | 'review.weekly';

/** The lead's review queue, one line each over the review service. */
export function createReviewHandlers({ services }: { services: CoreServices }): Pick<ApiHandlers, ReviewMethods> {
  const { review } = services;
  return {
    'review.list': (input) => review.list(input),
    'review.get': ({ id }) => review.get(id),
    'review.facets': () => review.facets(),
    'review.mark': ({ id, state, comment }) => review.mark(id, state, comment),
    'review.recording': ({ id }) => review.openRecording(id),
    'review.vncRecording': ({ id, offset }) => review.vncRecordingSlice(id, offset),
    'review.export': ({ format, filter }) => review.export(format, filter),
    'review.weekly': ({ week, timeZone }) => review.weekly(week, timeZone),
  };
}
