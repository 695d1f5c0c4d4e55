/**
 * What every endpoint shares: problem details for errors, body size limits, health, metrics
 * and the OpenAPI description.
 */
@NullMarked
package io.scorepipe.api.system;

import org.jspecify.annotations.NullMarked;
