/** CSV lines as scorepipe reads them: scoring files, labels files and the files new models are trained from. */
@NullMarked
package io.scorepipe.csv;

import org.jspecify.annotations.NullMarked;
