/**
 * Size and depth limits shared by both framings.
 *
 * @module
 */
import { DEFAULTS } from '../../config/index.js';

/** Default largest accepted frame, in bytes of its wire form: 16 MiB (the settings table's `maxFrameBytes`). */
export const DEFAULT_MAX_FRAME_BYTES: number = DEFAULTS.maxFrameBytes;

/**
 * Deepest nesting of arrays and maps a frame may have (the frame array itself
 * is level 1). Perl's JSON::XS and CBOR::XS both refuse data nested deeper than
 * 512 by default, so deeper frames could never travel between Perl and us; the
 * limit also keeps hostile input from exhausting the stack.
 */
export const MAX_NESTING_DEPTH = 512;
