/**
 * Subcommands of {@code expertflow}. Each is a picocli command that parses its options into the
 * typed configuration of the module it runs; it holds no logic of its own beyond that.
 */
package io.expertflow.cli.commands;
