// markethub/cutover: staged traffic cutover in front of the legacy app.
export { bucketOf, goesToNew, jwtUserVerifier, signCohort, verifiedCohort } from './bucket.js';
export { cutoverFront, frontErrorHandler, type CutoverFrontOptions } from './front.js';
export { COHORT_COOKIE, cutoverMiddleware, SIDE_HEADER, type CutoverMiddleware, type CutoverOptions } from './middleware.js';
export { CutoverStore, resetCutover, stageOf, type CutoverState, type CutoverStatus } from './store.js';
