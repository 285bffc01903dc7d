/**
 * The headings the commands are grouped under in `aemp --help`.
 * @module
 */

/** The network commands: each makes a node of its own. */
export const NET = 'Network (these make a node of profile "aemp", id anon/…, that connects to the seeds):';

/** The commands that look at a running network. */
export const LOOK = 'Looking at a running network:';

/** `run`. */
export const RUN = 'Running a node:';
