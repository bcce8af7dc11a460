/** Token state between hook points: layout (prefix, visual span, suffix, grid) and how to restore reductions. */
package dev.tokenreduce.core.token;
