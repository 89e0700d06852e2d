/** JMH micro-benchmarks of expertflow's building blocks (see docs/BENCHMARKS.md). */
package io.expertflow.bench;
