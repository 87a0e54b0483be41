/** The platform tests' workspace: the shared helper (a temporary directory holding files). */
export { workspace } from '../helpers/git.js';
