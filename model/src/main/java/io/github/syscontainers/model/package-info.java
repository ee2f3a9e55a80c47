/**
 * Value types shared by every syscontainers module. Immutable, validated at construction, and free of
 * runtime dependencies.
 */
@NullMarked
package io.github.syscontainers.model;

import org.jspecify.annotations.NullMarked;
