/**
 * The {@code tokenreduce} command line (picocli): {@code bench}, {@code apply}, {@code features}, {@code inspect},
 * {@code generate}, {@code visualize}. Exit code 0 on success, 2 on bad usage or input (a message on stderr, no
 * stack trace unless {@code --debug}), 1 on an unexpected internal error.
 */
package dev.tokenreduce.cli;
