/**
 * The HTML report of {@code expertflow bench}: {@link io.expertflow.bench.report.BenchResult} reads
 * a {@code bench.json} back (every figure added after the first version of the file is optional),
 * {@link io.expertflow.bench.report.CostPerMillion} prices its throughputs, and {@link
 * io.expertflow.bench.report.HtmlReport} renders one self-contained page with its charts as inline
 * SVG: no script, no font, no image and no address outside the file.
 */
package io.expertflow.bench.report;
