/** Policies: ordered operator steps at hook points, loaded from YAML or JSON and validated up front. */
package dev.tokenreduce.core.policy;
