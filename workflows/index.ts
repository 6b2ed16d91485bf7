/** The workflows the Worker bundles. */
export { onboardNewHire } from './onboarding.js';
