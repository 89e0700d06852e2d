/** The {@code expertflow} command line: one entry point, a subcommand per job. */
package io.expertflow.cli;
