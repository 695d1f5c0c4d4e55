/**
 * The model registry in PostgreSQL: versions with metrics and provenance, the one champion,
 * promotion and rollback, the first model's bootstrap, and the serving model every process holds.
 */
@NullMarked
package io.scorepipe.registry;

import org.jspecify.annotations.NullMarked;
