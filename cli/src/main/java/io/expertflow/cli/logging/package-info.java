/** How the command's logs are kept readable: filters registered in its {@code logback.xml}. */
package io.expertflow.cli.logging;
