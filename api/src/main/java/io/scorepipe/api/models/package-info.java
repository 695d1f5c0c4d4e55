/**
 * Model administration: list versions, promote and roll back (admin token), and follow
 * promotions made anywhere through {@code model.updates}.
 */
@NullMarked
package io.scorepipe.api.models;

import org.jspecify.annotations.NullMarked;
