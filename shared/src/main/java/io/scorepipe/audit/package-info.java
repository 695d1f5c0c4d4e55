/**
 * The audit trail: one {@link io.scorepipe.audit.AuditRecord} per served prediction, whatever
 * path served it, and the set-based writer that stores them idempotently.
 */
@NullMarked
package io.scorepipe.audit;

import org.jspecify.annotations.NullMarked;
