/**
 * What every part of scorepipe shares and no feature owns: reading an exception's causes, and
 * SHA-256.
 */
@NullMarked
package io.scorepipe.system;

import org.jspecify.annotations.NullMarked;
