/**
 * Additions to the local schema registry server (Apicurio Registry run as a Quarkus app): only what
 * a launcher needs that the registry lacks, such as ending with the process that started it.
 */
package io.expertflow.registry;
