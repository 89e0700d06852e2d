/**
 * {@code expertflow demo}: the whole pipeline on one machine -- embedded broker and registry, the
 * worker, real documents -- measured and summarised.
 */
package io.expertflow.cli.demo;
