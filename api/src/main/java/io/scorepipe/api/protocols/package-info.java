/**
 * The protocols clients already speak, over the same scoring core as {@code /predict}: the Open
 * Inference Protocol (KServe v2, {@code /v2}), KServe v1 ({@code /v1/models/{name}:predict}) and
 * MLflow's scoring protocol ({@code /invocations}). Each answers errors in its own protocol's
 * shape; validation, the cache and the audit trail (one row per scored row, with the route) are
 * the core's.
 */
@NullMarked
package io.scorepipe.api.protocols;

import org.jspecify.annotations.NullMarked;
